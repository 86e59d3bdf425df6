// biyelelt web app: the progress bar and a size check before uploading. No inline script (CSP).
"use strict";

function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

async function pollJob(box) {
  const url = box.dataset.poll;
  const bar = document.getElementById("job-bar");
  const stage = document.getElementById("job-stage");
  const count = document.getElementById("job-count");
  const embedded = document.getElementById("job-embedded");
  const error = document.getElementById("job-error");
  const next = document.getElementById("job-next");
  for (;;) {
    let info;
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      info = await response.json();
    } catch (e) {
      await sleep(2000);
      continue;
    }
    if (info.total) { bar.max = info.total; bar.value = info.done; } else { bar.removeAttribute("value"); }
    stage.textContent = info.stage_text || "";
    count.textContent = info.count_text || "";
    embedded.textContent = info.embedded_text || "";
    if (info.state === "done") {
      bar.max = 1; bar.value = 1;
      if (info.next) { window.location.assign(info.next); }
      next.hidden = false;
      return;
    }
    if (info.state === "failed" || info.state === "missing") {
      error.textContent = info.error || "";
      error.hidden = false;
      return;
    }
    await sleep(600);
  }
}

function checkUpload(form) {
  // Over the request limit the server refuses the whole upload: say so before sending it.
  // A single file over the per-file limit is refused by the server and listed with the run.
  const maxRequest = Number(form.dataset.maxRequest);
  const box = document.getElementById("upload-error");
  form.addEventListener("submit", (event) => {
    let total = 0;
    for (const input of form.querySelectorAll("input[type=file]")) {
      for (const file of input.files) { total += file.size; }
    }
    if (total > maxRequest) {
      event.preventDefault();
      box.textContent = form.dataset.msgRequest;
      box.hidden = false;
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-poll]");
  if (box) { pollJob(box); }
  const form = document.getElementById("upload-form");
  if (form) { checkUpload(form); }
});
