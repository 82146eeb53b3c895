// The comment box, enhanced: the form filled from the "Save my name…" cookie, Reply
// moving the form under the comment, and a character counter near the limit. Every
// journey works without it (comments/remember.py, ?replytocom=, the server's check).
(function () {
  "use strict";
  var respond = document.getElementById("respond");
  if (!respond) return;
  var form = respond.querySelector("form.comment-form");
  var heading = document.getElementById("reply-title");
  if (!form || !heading) return;

  // Remember me: the cookie holds {"name","email","url"} (comments/remember.py).
  function savedAuthor() {
    var match = document.cookie.match(/(?:^|;\s*)comment_author=([^;]*)/);
    if (!match) return null;
    try {
      return JSON.parse(decodeURIComponent(match[1]));
    } catch (error) {
      return null;
    }
  }
  var saved = savedAuthor();
  if (saved && form.elements.remember) {
    ["name", "email", "url"].forEach(function (field) {
      var input = form.elements[field];
      if (input && !input.value && typeof saved[field] === "string") input.value = saved[field];
    });
    form.elements.remember.checked = true;
  }

  // Reply in place: the form goes under the comment; "Cancel reply" brings it back.
  var home = document.createComment("respond");
  respond.parentNode.insertBefore(home, respond);
  var homeHeading = heading.innerHTML;
  var replyTo = form.elements.reply_to;
  var homeReplyTo = replyTo ? replyTo.value : "";
  var textarea = form.elements.comment;

  function showForm() {
    respond.scrollIntoView({ block: "start" });
    if (textarea) textarea.focus({ preventScroll: true });
  }

  function replyHere(link) {
    var item = link.closest("li.comment");
    var article = item && item.querySelector(":scope > article");
    var author = item && item.querySelector(".comment-author bdi");
    if (!article || !replyTo) return false;
    article.after(respond);
    replyTo.value = item.id.replace("comment-", "");
    heading.textContent = "Reply to ";
    var name = document.createElement("bdi");
    name.textContent = author ? author.textContent : "this comment";
    var cancel = document.createElement("a");
    cancel.href = "#respond";
    cancel.rel = "nofollow";
    cancel.className = "cancel-reply";
    cancel.textContent = "Cancel reply";
    var small = document.createElement("small");
    small.appendChild(cancel);
    heading.append(name, " ", small);
    showForm();
    return true;
  }

  function cancelReply() {
    home.after(respond);
    heading.innerHTML = homeHeading;
    replyTo.value = homeReplyTo;
    showForm();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.comment-reply-link, a.cancel-reply");
    if (!link) return;
    if (link.classList.contains("cancel-reply")) {
      event.preventDefault();
      cancelReply();
    } else if (replyHere(link)) {
      event.preventDefault();
    }
  });

  // The counter: shown near the limit, a warning past it; announced politely only
  // when the reader crosses a step, not at every key.
  var limit = textarea ? parseInt(textarea.getAttribute("data-max-length"), 10) : 0;
  if (!limit) return;
  var counter = document.createElement("p");
  counter.className = "char-count";
  counter.id = "comment-char-count";
  counter.hidden = true;
  var announcer = document.createElement("p");
  announcer.className = "visually-hidden";
  announcer.setAttribute("aria-live", "polite");
  textarea.after(counter, announcer);
  var described = textarea.getAttribute("aria-describedby");
  textarea.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
  var step = "";
  var format = function (n) { return n.toLocaleString("en"); };

  function count() {
    var used = Array.from(textarea.value).length;
    var left = limit - used;
    var now = left < 0 ? "over" : left <= limit / 50 ? "close" : left <= limit / 10 ? "near" : "";
    counter.hidden = !now;
    counter.classList.toggle("char-count-over", now === "over");
    textarea.toggleAttribute("aria-invalid", now === "over");
    if (now) {
      counter.textContent = format(used) + " / " + format(limit) +
        (now === "over" ? " — " + format(-left) + " too many; please shorten it" : "");
    }
    if (now !== step) {
      step = now;
      announcer.textContent = !now ? "" : now === "over"
        ? "Your comment is over the limit of " + format(limit) + " characters."
        : format(left) + " characters left.";
    }
  }
  textarea.addEventListener("input", count);
  count();
})();
