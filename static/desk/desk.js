// The author's desk on the post and page forms (blog/desk.py): a live word count
// and reading time under the editor, and an autosave of the unsaved text every
// 30 seconds and when the page is left. The form works the same without it.
;(function () {
  "use strict"

  const AUTOSAVE_SECONDS = 30
  const BLOCK_END = /<\/(p|h[1-6]|li|dt|dd|blockquote|pre|figcaption|td|th|tr|div)>|<br\s*\/?>|<hr\s*\/?>/gi
  const INTERNAL_LINK = /\[\[post:\d{1,18}(?:\|([^\]]{0,300}))?\]\]/g

  // The same rule as Post.prepare_body (blog/models.py) on the server.
  function countWords(html) {
    const decoder = document.createElement("textarea")
    decoder.innerHTML = html.replace(BLOCK_END, " ").replace(/<[^>]*>/g, "")
    const text = decoder.value.replace(INTERNAL_LINK, (_, words) => words || "")
    return text.split(/\s+/).filter(Boolean).length
  }

  function figures(words, perMinute) {
    const minutes = Math.max(1, Math.round(words / perMinute))
    return `${words.toLocaleString("en")} word${words === 1 ? "" : "s"} · ${minutes} min read`
  }

  function setUpWordCount(form) {
    const output = form.querySelector(".desk-words")
    const body = form.elements.namedItem("body")
    if (!output || !body) return
    const perMinute = Number(output.dataset.wordsPerMinute) || 230
    const update = () => {
      output.textContent = figures(countWords(body.value), perMinute)
    }
    // django-prose-editor copies the editor's HTML into the textarea and fires
    // "input" on every change.
    body.addEventListener("input", update)
    update()
  }

  function setUpAutosave(form, url) {
    const status = form.querySelector(".desk-autosave-status")
    const names = ["title", "excerpt", "body"].filter((name) => form.elements.namedItem(name))
    const snapshot = () => names.map((name) => form.elements.namedItem(name).value).join("\u0000")
    let sent = snapshot()
    let leaving = false

    function payload() {
      const data = new FormData()
      data.append("csrfmiddlewaretoken", form.elements.namedItem("csrfmiddlewaretoken").value)
      for (const name of names) data.append(name, form.elements.namedItem(name).value)
      return data
    }

    function show(message, failed) {
      if (!status) return
      status.textContent = message
      status.classList.toggle("desk-autosave-failed", !!failed)
    }

    async function autosave() {
      const now = snapshot()
      if (now === sent) return
      try {
        const response = await fetch(url, {
          method: "POST",
          body: payload(),
          credentials: "same-origin",
          keepalive: true,
          headers: { Accept: "application/json" },
        })
        const answer = await response.json().catch(() => ({}))
        if (!response.ok) {
          show(answer.error || `Autosave failed (${response.status}); save the form to keep your text.`, true)
          return
        }
        sent = now
        show(answer.message || "Autosaved.")
      } catch (error) {
        show("Autosave failed: the site could not be reached. Your text is still in the form.", true)
      }
    }

    form.addEventListener("submit", (event) => {
      // Preview opens a new tab; the page stays. Any other button leaves it.
      const submitter = event.submitter
      if (!submitter || submitter.getAttribute("formtarget") !== "_blank") leaving = true
    })
    function flush() {
      if (leaving || snapshot() === sent) return
      if (navigator.sendBeacon && navigator.sendBeacon(url, payload())) sent = snapshot()
    }
    window.addEventListener("pagehide", flush)
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") flush()
    })
    window.setInterval(autosave, AUTOSAVE_SECONDS * 1000)
    // For tests and for the impatient: autosave now.
    form.deskAutosave = autosave
  }

  function start() {
    const config = document.getElementById("desk-config")
    const form =
      (config && document.getElementById(config.dataset.form)) ||
      document.querySelector("#content-main form[method=post]")
    if (!form) return
    setUpWordCount(form)
    if (config && config.dataset.autosaveUrl) setUpAutosave(form, config.dataset.autosaveUrl)
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start)
  } else {
    start()
  }
})()
