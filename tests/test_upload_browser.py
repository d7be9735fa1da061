"""Chromium reads an uploaded picture in the page (demo/page/upload.js): no POST, the network cut, the server's levels
and sentences; with ?engine=off the server still reads it, as /levels_from_image reads it for scripts."""

import io

import numpy as np
import pytest

from bench.photos import photo_set
from bench.upload_jpeg import agreement, page_readings
from demo.canvas import read_file
from pixelcnn.data import load_raw
from tests.test_browser import BOARD, board_levels, browser, fr_texts, received, upload  # noqa: F401 (fixtures)
from tests.test_browser import demo_app_texts as en_texts
from tests.test_upload_js import png

pytestmark = pytest.mark.browser
STATUS = "t => document.querySelector('.pcnn-status').textContent === t"


def open_reading_page(browser, url, lang="en"):  # noqa: F811
    """The page with its engine (the normal case), every request after load counted; its context, to cut the network."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.errors, page.posts = [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(f"{url}?lang={lang}")
    page.locator(BOARD).wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    page.on("request", lambda request: page.posts.append(request.url) if request.method != "GET" else None)
    return context, page


def photos(data_root) -> dict[str, bytes]:
    """A photo-like PNG and JPEG of test garments (bench.photos): read as garments, framed."""
    found = {}
    for _, data, form, _ in photo_set(8, data_root):
        found.setdefault(form, data)
    return found


def test_a_png_and_a_jpeg_are_read_in_the_page_offline_and_unsent(browser, running_app, tmp_path, data_root):  # noqa: F811
    texts = en_texts()
    context, page = open_reading_page(browser, running_app.local_url)
    assert page.locator(".pcnn-private").inner_text() == texts["upload_private"]  # said beside the button
    page.locator(".pcnn-pick[data-reader='worker']").wait_for()  # read off the page's thread, which keeps drawing
    context.set_offline(True)
    for form, data in photos(data_root).items():
        path = tmp_path / f"photo.{'jpg' if form == 'jpeg' else 'png'}"
        path.write_bytes(data)
        reading = read_file(path)
        page.locator(".pcnn-clear").click()
        upload(page, path)
        page.wait_for_function(STATUS, arg=texts["upload_framed"])
        shown = np.array(board_levels(page))
        if form == "png":  # lossless: the server's levels exactly
            assert shown.tolist() == reading.levels.tolist()
        else:  # decoders differ by a unit here and there: a cell at a level's boundary may differ
            assert (shown == reading.levels).mean() >= 0.95
        page.wait_for_function("() => document.querySelector('.pcnn-upload-before').naturalWidth > 0")  # the photo
        assert page.locator(".pcnn-upload-after").is_visible()
        page.get_by_role("button", name=texts["read_as_is"]).click()
        if form == "png":
            assert board_levels(page) == reading.as_is.tolist()
    assert page.posts == [] and page.errors == []
    context.close()


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims width x height pixels (its data is one pixel: it is never decoded)."""
    return png(np.zeros((1, 1, 1)), 8, 0, size=(width, height))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_huge_or_broken_picture_gets_the_servers_sentence_and_the_next_is_read(browser, running_app, tmp_path, lang):  # noqa: F811
    from PIL import Image

    texts = en_texts() if lang == "en" else fr_texts()
    context, page = open_reading_page(browser, running_app.local_url, lang)
    (tmp_path / "huge.png").write_bytes(png_claiming(20000, 20000))
    upload(page, tmp_path / "huge.png")
    page.wait_for_function(STATUS, arg=texts["huge_picture_any"].format(limit="4.2" if lang == "en" else "4,2"))
    (tmp_path / "side.png").write_bytes(png_claiming(2049, 2049))
    upload(page, tmp_path / "side.png")
    page.wait_for_function(STATUS, arg=texts["huge_picture"].format(width=2049, height=2049, side=2048))
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"not the rest of a picture" * 4)
    upload(page, tmp_path / "broken.jpg")
    page.wait_for_function(STATUS, arg=texts["not_a_picture"])  # no frame header: Pillow cannot identify it
    tiff = io.BytesIO()
    Image.new("L", (60, 50)).save(tiff, format="TIFF")
    (tmp_path / "scan.tif").write_bytes(tiff.getvalue())
    upload(page, tmp_path / "scan.tif")
    page.wait_for_function(STATUS, arg=texts["tiff_in_page"])  # Chromium has no TIFF decoder: said, never sent
    stripes = np.array([0, 85, 170, 255], np.uint8)[np.arange(16) % 4]
    picture = io.BytesIO()
    Image.fromarray(np.tile(stripes, (16, 1)).repeat(10, 0).repeat(10, 1)).save(picture, format="GIF")
    (tmp_path / "stripes.gif").write_bytes(picture.getvalue())
    upload(page, tmp_path / "stripes.gif")  # the page goes on: the next picture is read
    page.wait_for_function(f"() => document.querySelector('{BOARD}').dataset.levels.startsWith('0123')")
    assert board_levels(page) == read_file(tmp_path / "stripes.gif").levels.tolist()
    assert page.posts == [] and page.errors == []
    context.close()


def test_without_workers_the_pages_own_thread_reads_the_upload(browser, running_app, tmp_path, data_root):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script("delete window.Worker")  # a browser without Web Workers
    page = context.new_page()
    page.goto(running_app.local_url)
    page.locator(".pcnn-pick[data-reader='page']").wait_for(timeout=30_000)
    path = tmp_path / "photo.png"
    path.write_bytes(photos(data_root)["png"])
    upload(page, path)
    page.wait_for_function(STATUS, arg=en_texts()["upload_framed"])
    assert board_levels(page) == read_file(path).levels.tolist()
    context.close()


def test_with_the_engine_off_the_server_reads_the_upload(browser, running_app, tmp_path, data_root):  # noqa: F811
    texts = en_texts()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(running_app.local_url + "?engine=off")
    page.locator(BOARD).wait_for(timeout=30_000)
    assert not page.locator(".pcnn-private").is_visible()  # the page does not say it stays here: it is sent
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    path = tmp_path / "photo.png"
    path.write_bytes(photos(data_root)["png"])
    upload(page, path)
    page.wait_for_function(STATUS, arg=texts["upload_framed"])
    assert board_levels(page) == read_file(path).levels.tolist()
    assert any("/upload" in url for url in posts) and any("/queue/join" in url for url in posts)
    context.close()


def test_the_pages_jpeg_reading_agrees_with_the_servers(browser):  # noqa: F811
    """Chromium's JPEG decoder against Pillow's (bench.upload_jpeg prints the figure for 200): most files give the same
    levels, and nearly every cell is the same."""
    pictures, cells = agreement(browser, 40)
    print(f"40 JPEGs: {pictures:.1%} read with the server's levels exactly, {cells:.2%} of cells equal")
    assert pictures >= 0.7 and cells >= 0.99


@pytest.mark.parametrize("orientation", range(1, 9))
def test_a_jpeg_turned_by_its_exif_is_read_unturned_as_the_server_reads_it(browser, orientation):  # noqa: F811
    """Pillow reads a JPEG's pixels as stored, whatever its EXIF orientation says (6: "turn 90 degrees clockwise to
    show"); the browser's decoder always turns (or mirrors) it."""
    from PIL import Image

    picture = np.zeros((120, 200, 3), np.uint8)
    picture[10:110, 20:60] = 255  # a bar at the left, upright, and a block at the top right: no turn looks the same
    picture[5:40, 150:190] = 170
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    Image.fromarray(picture).save(buffer, format="JPEG", quality=95, exif=exif)
    (answer,) = page_readings(browser, [buffer.getvalue()])
    expected = read_file(io.BytesIO(buffer.getvalue()))
    assert (np.array(answer["asIs"]) == expected.as_is).mean() >= 0.95


def test_gif_bmp_and_lossless_webp_are_read_in_chromium_as_the_server_reads_them(browser, data_root):  # noqa: F811
    """Decoded by the browser (createImageBitmap), lossless formats give the server's answer exactly: photo-like
    pictures and test images as GIF (with and without a clear colour), BMP (RGB, palette, grey) and lossless WebP
    (opaque or cut out). (Half-transparent pixels may move by a unit: the canvas keeps colours premultiplied.)"""
    from PIL import Image

    raw, _ = load_raw("test", data_root)
    pictures = [np.asarray(Image.open(io.BytesIO(data)).convert("RGB")) for _, data, _, _ in photo_set(4, data_root)]
    pictures += [np.repeat(raw[i][..., None], 3, 2) for i in range(4)]
    files = []
    for rgb in pictures:
        picture, cut = Image.fromarray(rgb), np.dstack([rgb, np.where(rgb.mean(2) > 60, 255, 0).astype(np.uint8)])
        for form, image, options in [
            ("GIF", picture.convert("P"), {}),
            ("GIF", picture.convert("P"), {"transparency": 0}),
            ("BMP", picture, {}),
            ("BMP", picture.convert("P"), {}),
            ("BMP", picture.convert("L"), {}),
            ("WEBP", picture, {"lossless": True}),
            ("WEBP", Image.fromarray(cut, "RGBA"), {"lossless": True}),
        ]:
            buffer = io.BytesIO()
            image.save(buffer, format=form, **options)
            files.append(buffer.getvalue())
    differ = []
    for i, (data, answer) in enumerate(zip(files, page_readings(browser, files))):
        expected = read_file(io.BytesIO(data))
        if answer != {"levels": expected.levels.tolist(), "asIs": expected.as_is.tolist(), "framed": expected.framed}:
            differ.append(i)
    assert len(files) == 56 and differ == []
