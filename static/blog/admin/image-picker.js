// The image picker, opened by the body editor's figure dialog ("Browse…"): a click
// on an image hands its address, id, alternative text and caption back to the
// editor through the CKEditor-style callback django-prose-editor listens for.
// Without an opener (or without JavaScript) each image shows its address to copy.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const picker = document.querySelector(".image-picker");
  const funcNum = picker?.dataset.funcNum;
  const callback = window.opener?.CKEDITOR?.tools?.callFunction;
  if (!picker || !funcNum || typeof callback !== "function") return;
  picker.classList.add("image-picker--choosing");
  for (const button of picker.querySelectorAll(".image-picker-choose")) {
    button.hidden = false;
    const choose = () => {
      const { id, url, alt, caption } = button.dataset;
      window.opener.CKEDITOR.tools.callFunction(funcNum, url, {
        id,
        alternative_text: alt,
        caption,
      });
      window.close();
    };
    button.addEventListener("click", choose);
    button.closest("li").querySelector("img").addEventListener("click", choose);
  }
});
