// Reads uploaded pictures off the page's thread (demo/page/upload.js): a 2048x2048 photo takes a second or more,
// during which the page would not draw. A module worker: {id, bytes, limits} in, {id, reading} out; "ready" once
// upload.js is loaded (so a picture is read with the network cut later).
import { readUpload } from "./upload.js";

self.onmessage = async ({ data: { id, bytes, limits } }) => {
  let reading;
  try {
    reading = await readUpload(bytes, limits);
  } catch (error) {
    console.error(error); // a fault of ours on a file: said as a damaged picture, the page goes on
    reading = { error: "broken_picture", fields: {} };
  }
  self.postMessage({ id, reading });
};
self.postMessage("ready");
