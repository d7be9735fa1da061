export { decode } from "fast-png"; // the page reads PNGs byte-exactly (no colour management)
