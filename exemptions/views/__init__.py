"""The exemption screens (thin: parse a form, call one service, redirect or re-render)."""
