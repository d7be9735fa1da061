"""The Gradio interface of the PixelCNN demo: it arranges; the `pixelcnn` package computes."""
