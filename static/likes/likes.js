// Likes without a reload. The page may come from the shared cache, so it shows the
// count as of rendering and no reader's own state: ask /likes/<id>/ for both, then
// send Like and Unlike with fetch and update the box in place. Without this script
// the form posts and the site redirects back to the post.
(function () {
  "use strict";

  var JSON_ONLY = { Accept: "application/json" };

  function show(form, state) {
    form.querySelector(".like-button").setAttribute("aria-pressed", state.liked ? "true" : "false");
    form.querySelector("input[name=action]").value = state.liked ? "unlike" : "like";
    form.querySelector(".likes-text").textContent = state.text;
  }

  function say(form, message) {
    form.querySelector(".likes-text").textContent = message;
  }

  function answerOf(response) {
    return response.json().then(function (body) {
      return { ok: response.ok, body: body };
    });
  }

  function enhance(form) {
    var url = form.getAttribute("action");
    var sending = false;
    fetch(url, { credentials: "same-origin", headers: JSON_ONLY })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) { if (state) show(form, state); })
      .catch(function () { /* the page's own count stays */ });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (sending) return; // a double click sends one like
      sending = true;
      form.setAttribute("aria-busy", "true");
      fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin", headers: JSON_ONLY })
        .then(answerOf)
        .then(function (answer) {
          if (answer.body.sign_in) {
            window.location.assign(answer.body.sign_in);
          } else if (answer.ok) {
            show(form, answer.body);
          } else {
            say(form, answer.body.message);
          }
        })
        .catch(function () { say(form, "The site could not be reached. Please try again."); })
        .then(function () {
          sending = false;
          form.removeAttribute("aria-busy");
        });
    });
  }

  document.querySelectorAll("form.like-form").forEach(enhance);
})();
