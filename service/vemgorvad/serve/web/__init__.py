"""The Swedish web pages for staff (GET /, GET /granska) and their static assets under /web/."""
