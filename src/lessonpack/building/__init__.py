"""Building: turn a loaded pack into files — jobs and their keys, render processes with limits, the signed
manifest and atomic writes in the output folder, unit PDFs assembled from lesson PDFs, and ``check``."""
