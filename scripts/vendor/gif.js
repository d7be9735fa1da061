export { GIFEncoder, quantize, applyPalette } from "gifenc"; // the page encodes its animated GIF
