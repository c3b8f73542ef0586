"""Loaders: policy documents (text or saved web pages) → :class:`loaders.model.Extraction`."""

from loaders.extract import extract_bytes, extract_file, extract_text

__all__ = ["extract_bytes", "extract_file", "extract_text"]
