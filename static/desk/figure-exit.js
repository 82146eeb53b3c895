// Enter in a figure's caption (or with the figure selected) starts a paragraph
// after the figure, as in WordPress; without it the cursor stays in the caption.
// Loaded by django-prose-editor's "configurable" preset (DJANGO_PROSE_EDITOR_EXTENSIONS).
import { Extension } from "django-prose-editor/editor"

function figureDepth($pos) {
  for (let depth = $pos.depth; depth > 0; depth--) {
    if ($pos.node(depth).type.name === "figure") return depth
  }
  return null
}

export const FigureExit = Extension.create({
  name: "figureExit",
  priority: 1000,

  addKeyboardShortcuts() {
    return {
      Enter: ({ editor }) => {
        const { selection } = editor.state
        let after = null
        if (selection.node && selection.node.type.name === "figure") {
          after = selection.to
        } else {
          const depth = figureDepth(selection.$from)
          if (depth === null) return false
          after = selection.$from.after(depth)
        }
        return editor
          .chain()
          .insertContentAt(after, { type: "paragraph" })
          .setTextSelection(after + 1)
          .scrollIntoView()
          .run()
      },
    }
  },
})
