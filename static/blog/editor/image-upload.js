// Images from inside the body editor: a toolbar button, a file dropped on the
// text, or an image pasted into it. Each asks for the image's alternative text
// (and an optional caption), sends the file to the image library
// (/admin/blog/image/upload/, the same checks as the Images admin) and inserts a
// figure. What goes wrong is said under the editor; nothing is inserted then.
// Loaded by django-prose-editor's configurable preset (DJANGO_PROSE_EDITOR_EXTENSIONS).
import {
  crel,
  Extension,
  gettext,
  Plugin,
  updateAttrsDialog,
} from "django-prose-editor/editor"

const ACCEPT = "image/jpeg,image/png,image/gif,image/webp"
const UPLOAD_ICON =
  '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d="M5 18h14v2H5zm6-2V6.8L7.4 10.4 6 9l6-6 6 6-1.4 1.4L13 6.8V16z"/></svg>'

const imageFiles = (transfer) =>
  Array.from(transfer?.files || []).filter((file) => file.type.startsWith("image/"))

const container = (editor) => editor.view.dom.closest(".prose-editor")

function status(editor, message, kind = "info") {
  const box = container(editor)
  if (!box) return
  let line = box.querySelector(":scope > .image-upload-status")
  if (!line) {
    line = crel("p", { className: "image-upload-status" })
    box.append(line)
  }
  line.setAttribute("role", kind === "error" ? "alert" : "status")
  line.className = `image-upload-status image-upload-status--${kind}`
  // The admin's own colours (its CSS variables), so dark mode follows.
  line.style.cssText =
    "margin:.5rem;padding:.4rem .6rem;border-radius:4px;font-weight:bold;" +
    (kind === "error"
      ? "color:var(--error-fg,#ba2121);border:1px solid var(--error-fg,#ba2121)"
      : "color:var(--body-quiet-color,#666)")
  line.textContent = message
  line.hidden = !message
}

function csrfToken() {
  return document.querySelector("input[name=csrfmiddlewaretoken]")?.value || ""
}

async function send(url, file, attrs) {
  const body = new FormData()
  body.append("file", file, file.name || "pasted-image.png")
  body.append("alt", attrs.alt.trim())
  body.append("caption", (attrs.caption || "").trim())
  let response
  try {
    response = await fetch(url, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    })
  } catch {
    throw new Error(gettext("The upload did not reach the server. Check the connection and try again."))
  }
  let data = null
  if ((response.headers.get("Content-Type") || "").includes("application/json")) {
    data = await response.json()
  }
  if (response.ok && data?.url) return data
  if (data?.error) throw new Error(data.error)
  if (response.status === 413) {
    throw new Error(gettext("The image is too large for the server."))
  }
  if (response.redirected || response.status === 403) {
    throw new Error(gettext("Your session has ended: log in again in another tab, then retry."))
  }
  throw new Error(`${gettext("The upload failed")} (HTTP ${response.status}).`)
}

async function uploadAndInsert(editor, options, file, position = null) {
  const name = file.name || gettext("pasted image")
  const attrs = await updateAttrsDialog(
    {
      alt: {
        type: "string",
        title: gettext("Alternative text"),
        description: gettext("What the image shows, for readers who cannot see it."),
        required: true,
      },
      caption: { type: "string", title: gettext("Caption (optional)") },
    },
    { title: `${gettext("Insert image")}: ${name}`, submitText: gettext("Upload and insert") },
  )(editor, { alt: "", caption: "" })
  if (!attrs) return
  status(editor, `${gettext("Uploading")} ${name}…`)
  let image
  try {
    image = await send(options.uploadUrl, file, attrs)
  } catch (error) {
    status(editor, `${name}: ${error.message}`, "error")
    return
  }
  const content = [
    { type: "image", attrs: { src: image.url, alt: image.alt, file: String(image.id) } },
  ]
  if (image.caption) {
    content.push({ type: "caption", content: [{ type: "text", text: image.caption }] })
  }
  if (position === null) {
    // After the block the cursor (or the selected figure) is in: a figure is a
    // block, and inserting it over a selected image would empty that image.
    const { $to } = editor.state.selection
    position = $to.depth ? $to.after(1) : $to.pos
  }
  const inserted = editor
    .chain()
    .focus()
    .insertContentAt(position, { type: "figure", content })
    .run()
  status(editor, inserted ? `${gettext("Inserted")} ${name}.` : "", "done")
}

async function uploadAll(editor, options, files, position = null) {
  for (const file of files) {
    await uploadAndInsert(editor, options, file, position)
    position = null // the next ones follow the first
  }
}

export const ImageUpload = Extension.create({
  name: "imageUpload",

  addOptions() {
    return { uploadUrl: null }
  },

  onCreate() {
    const { editor, options } = this
    const input = crel("input", {
      type: "file",
      accept: ACCEPT,
      multiple: true,
      hidden: true,
      className: "image-upload-input",
    })
    input.setAttribute("aria-label", gettext("Upload an image"))
    input.addEventListener("change", () => {
      const files = Array.from(input.files)
      input.value = ""
      uploadAll(editor, options, files)
    })
    container(editor)?.append(input)
    this.storage.input = input
  },

  addStorage() {
    return { input: null }
  },

  addMenuItems({ buttons, menu }) {
    const storage = this.storage
    menu.defineItem({
      name: "imageUpload",
      groups: "nodes",
      command() {
        storage.input?.click()
      },
      button: buttons.svg(UPLOAD_ICON, gettext("Upload an image")),
      enabled: (editor) => editor.isEditable,
    })
  },

  addProseMirrorPlugins() {
    const { editor, options } = this
    return [
      new Plugin({
        props: {
          handleDrop(view, event, _slice, moved) {
            const files = moved ? [] : imageFiles(event.dataTransfer)
            if (!files.length) return false
            event.preventDefault()
            const at = view.posAtCoords({ left: event.clientX, top: event.clientY })
            // A figure is a block: it goes after the block it was dropped on.
            const $at = at ? view.state.doc.resolve(at.pos) : null
            uploadAll(editor, options, files, $at ? ($at.depth ? $at.after(1) : $at.pos) : null)
            return true
          },
          handlePaste(_view, event) {
            const files = imageFiles(event.clipboardData)
            // Text copied with a picture (from a word processor) pastes as text.
            if (!files.length || event.clipboardData.getData("text/plain")) return false
            event.preventDefault()
            uploadAll(editor, options, files)
            return true
          },
        },
      }),
    ]
  },
})
