"""What the pages share: loading a record for a view (404, 403) and the edit flow of a form that
flashes, redirects or renders. Views use these; operations never flash, redirect or render."""
