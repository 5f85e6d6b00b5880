"""Renditions per second and peak memory for batches of 4000x3000 JPEGs: python bench/renditions_bench.py.

Generates 100 distinct photo-like JPEGs in bench/data/ (git-ignored) once, then, for each batch size, runs a fresh
process that draws every rendition of each image with media.renditions.generate_renditions (the function the task
and rebuild_renditions call: read from storage, decode, resize, encode, store, upsert the row) on a throwaway
SQLite database and MEDIA_ROOT. Peak RSS per process should not grow with the batch size.
"""

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "photos-4000x3000"
SIZE = (4000, 3000)


def generate_photos(count):
    """Photo-like content (gradients, shapes, grain) so that JPEG sizes resemble real photos (a few MB)."""
    from PIL import Image, ImageDraw, ImageFilter

    DATA.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        path = DATA / f"photo-{index:03d}.jpg"
        if path.exists():
            continue
        small = (SIZE[0] // 8, SIZE[1] // 8)
        red = Image.linear_gradient("L").resize(small).rotate(index * 7 % 360)
        green = Image.radial_gradient("L").resize(small)
        blue = Image.effect_noise(small, 64).filter(ImageFilter.GaussianBlur(3))
        picture = Image.merge("RGB", (red, green, blue))
        draw = ImageDraw.Draw(picture)
        for shape in range(12):
            x, y = (index * 97 + shape * 53) % small[0], (index * 31 + shape * 71) % small[1]
            draw.ellipse((x, y, x + 40 + shape * 5, y + 30 + shape * 4), fill=(shape * 20, 255 - shape * 20, index))
        picture = picture.resize(SIZE, Image.Resampling.BICUBIC)
        # Sensor-like grain: without it the files compress to a fraction of a real photo's size.
        grain = Image.effect_noise(SIZE, 32).convert("RGB")
        Image.blend(picture, grain, 0.18).save(path, "JPEG", quality=90)


def run_batch(count):
    """In this (fresh) process: draw all renditions of `count` photos and print figures as JSON."""
    workdir = Path(tempfile.mkdtemp(prefix="renditions-bench-"))
    os.environ.update(DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}", MEDIA_ROOT=str(workdir / "media"),
                      DJANGO_SETTINGS_MODULE="newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    from media.ingest import storage_name
    from media.models import Image
    from media.renditions import generate_renditions

    call_command("migrate", verbosity=0)
    images = []
    for index, path in enumerate(sorted(DATA.glob("*.jpg"))[:count]):
        name = storage_name(f"{index:064x}", "JPEG")
        default_storage.save(name, path.open("rb"))
        images.append(Image.objects.create(file=name, width=SIZE[0], height=SIZE[1], format="JPEG",
                                           file_size=path.stat().st_size, sha256=f"{index:064x}"))
    rss_before = current_rss_mib()
    rss_samples, written = [], 0
    started = time.perf_counter()
    for image in images:
        written += len(generate_renditions(image))
        rss_samples.append(current_rss_mib())
    elapsed = time.perf_counter() - started
    shutil.rmtree(workdir)
    print(json.dumps({
        "images": count, "renditions": written, "seconds": round(elapsed, 2),
        "renditions_per_second": round(written / elapsed, 1), "images_per_second": round(count / elapsed, 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_before_mib": rss_before, "rss_after_first_mib": rss_samples[0], "rss_after_last_mib": rss_samples[-1],
    }))


def current_rss_mib():
    with open("/proc/self/statm") as statm:
        return round(int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def machine():
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory_kib = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                          if line.startswith("MemTotal")))
    from PIL import __version__ as pillow

    return (f"{os.cpu_count()} cores ({model}), {memory_kib / 2**20:.0f} GiB, Python {platform.python_version()}, "
            f"Pillow {pillow}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", default="10,50,100", help="comma-separated batch sizes (default: %(default)s)")
    parser.add_argument("--run-batch", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_batch:
        run_batch(args.run_batch)
        return
    sizes = [int(size) for size in args.batches.split(",")]
    generate_photos(max(sizes))
    print(f"machine: {machine()}")
    print("| images | renditions | seconds | renditions/s | images/s | peak RSS MiB | RSS before/1st/last MiB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        output = subprocess.run([sys.executable, __file__, "--run-batch", str(size)], check=True,
                                capture_output=True, text=True).stdout
        row = json.loads(output.strip().splitlines()[-1])
        print(f"| {row['images']} | {row['renditions']} | {row['seconds']} | {row['renditions_per_second']} | "
              f"{row['images_per_second']} | {row['peak_rss_mib']} | {row['rss_before_mib']} / "
              f"{row['rss_after_first_mib']} / {row['rss_after_last_mib']} |", flush=True)


if __name__ == "__main__":
    main()
