"""Real-browser end-to-end tests: `streamlit run app.py` driven by Debian's Chromium through Playwright."""
