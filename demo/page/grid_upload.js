// Uploads on the grid (demo/page/grid.js). An uploaded picture is read here, in the page (demo/page/upload.js: the
// server's reading, the same levels and the same refusals), and never sent anywhere. With ?engine=off the file is
// handed to Gradio's hidden upload button, which sends it to the server's /levels_from_image, as scripts call it.
// Either way a file of the wrong type or size, or (from its header) too large to read, is refused here first, in
// the page's language, beside the grid.

import { SIZE } from "./component.js";
import { copy, leaveRun } from "./grid_state.js";

const READER_READY_MS = 10000; // a worker that has not said it is ready by then: this thread reads

export function gridUploads(grid) {
  const ui = grid.ui;
  const { props, $, format, decimal, importPage, pageURL } = ui;
  const { state, here } = grid;

  let picked = null; // the URL of the file last chosen, for the upload's before/after preview
  let uploadReader = null; // the promise of the reader, once asked for (again after a failure): {module, read}

  function readerModule() { // asked at start-up, so that a picture is read with the network cut later
    if (uploadReader === null) {
      uploadReader = startReader().then((reader) => {
        $(".pcnn-pick").dataset.reader = reader.where; // which thread reads pictures (for the tests)
        return reader;
      }, () => { uploadReader = null; return null; });
    }
    return uploadReader;
  }

  // demo/page/upload.js, and its worker (demo/page/upload_worker.js) where the browser runs module workers: a large
  // picture is read there, off this thread; without one, or if it fails, this thread reads.
  async function startReader() {
    const module = await importPage("upload.js");
    const onThisThread = (bytes, limits) => module.readUpload(bytes, limits)
      .catch((error) => { console.error(error); return { error: "broken_picture", fields: {} }; });
    const page = { module, read: onThisThread, where: "page" };
    if (here.off) return page; // only its header checks are used: the server reads
    let worker;
    try {
      worker = new Worker(pageURL("upload_worker.js"), { type: "module" });
    } catch (error) {
      console.error(error);
      return page;
    }
    const waiting = new Map(); // id -> {resolve, bytes, limits}
    let sent = 0;
    const ready = await new Promise((resolve) => {
      worker.onmessage = ({ data }) => {
        if (data === "ready") return resolve(true);
        waiting.get(data.id)?.resolve(data.reading);
        waiting.delete(data.id);
      };
      worker.onerror = (event) => { // failed to start, or later: what it was reading is read here
        event.preventDefault?.();
        worker.terminate();
        worker = null;
        for (const asked of waiting.values()) onThisThread(asked.bytes, asked.limits).then(asked.resolve);
        waiting.clear();
        resolve(false);
      };
      setTimeout(() => resolve(false), READER_READY_MS);
    });
    if (!ready || !worker) return page;
    const read = (bytes, limits) => {
      if (!worker) return onThisThread(bytes, limits);
      const id = ++sent;
      return new Promise((resolve) => {
        waiting.set(id, { resolve, bytes, limits });
        worker.postMessage({ id, bytes, limits });
      });
    };
    return { module, read, where: "worker" };
  }

  function refuseUpload(message) {
    Object.assign(state, { message, refused: true });
    grid.render(state);
    $(".pcnn-status").scrollIntoView({ block: "nearest", behavior: "smooth" }); // below a laptop's first screen
  }

  let chosen = 0; // pictures chosen so far: only the newest one's reading or refusal is shown

  async function pictureChosen(file) {
    const asked = ++chosen;
    const size = file.size / 2 ** 20;
    if (!file.type.startsWith("image/")) return refuseUpload(ui.T.not_a_picture);
    const most = props.max_upload_mb;
    if (size > most) return refuseUpload(format(ui.T.too_big, { size: decimal(size, 1), most }));
    const reader = await readerModule();
    const limits = { maxPixels: props.max_pixels, maxSide: props.max_side, budget: props.reading_budget };
    const bytes = new Uint8Array(await file.arrayBuffer());
    const reading = here.off || !reader ? null : await reader.read(bytes, limits);
    if (asked !== chosen) return; // another picture was chosen meanwhile
    if (here.off) { // the server reads it; what its header shows is refused here first
      const problem = reader?.module.headerProblem(reader.module.readHeader(bytes), limits);
      return problem ? refuseUpload(uploadRefusal(problem)) : sendToServer(file);
    }
    if (!reader) return refuseUpload(ui.T.upload_reader_failed); // never sent instead: the page said it stays here
    if (reading.error) return refuseUpload(uploadRefusal(reading));
    preview(file);
    showUpload({ garment: reading.levels, asIs: reading.asIs, framed: reading.framed });
  }

  function preview(file) { // the file shown beside its reading (the URL of the one before is let go)
    if (picked) URL.revokeObjectURL(picked);
    picked = URL.createObjectURL(file);
  }

  function uploadRefusal({ error, fields }) { // a refusal's key and fields -> our sentence (decimals as the page writes)
    return format(ui.T[error], { ...fields, ...("limit" in fields ? { limit: decimal(fields.limit, 1) } : {}) });
  }

  function sendToServer(file) { // through Gradio's upload button (hidden; ui.py): its answer comes as our value
    const input = document.getElementById("upload")?.previousElementSibling;
    if (!(input instanceof HTMLInputElement)) return refuseUpload(ui.T.status_no_answer);
    preview(file);
    const files = new DataTransfer();
    files.items.add(file);
    input.files = files.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function onUpload(reply) { // the server's reading of a picture (Gradio's upload button sets the component's value)
    if (!reply || reply.kind !== "levels") return;
    showUpload({ garment: reply.levels, asIs: reply.as_is ?? reply.levels, framed: !!reply.framed });
  }

  function showUpload(reading) { // a picture read, by the page or the server: on the board, undone like a stroke
    leaveRun(state);
    state.strokes.push(copy(state.levels));
    state.upload = { ...reading, picture: picked };
    readUpload(state, state.upload.framed ? "garment" : "as_is");
  }

  function readUpload(s, way) { // the board takes the uploaded picture read as a garment (framed) or as it is
    s.upload.way = way;
    s.levels = copy(way === "garment" ? s.upload.garment : s.upload.asIs);
    const light = s.levels.flat().reduce((sum, level) => sum + level, 0) / (SIZE * SIZE) > 1.5;
    // read as it is and mostly light (dark on white): Invert is offered; a framed garment is light on black already
    s.message = way === "garment" ? ui.T.upload_framed : light ? ui.T.upload_dark_note : ui.T.upload_note;
    grid.refresh();
  }

  return { readerModule, pictureChosen, onUpload, readUpload };
}
