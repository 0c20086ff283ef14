"""A credential's printable document: HTML and PDF with the QR code of its verifying link."""
