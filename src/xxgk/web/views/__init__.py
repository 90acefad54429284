"""Views: parse the request, ask `xxgk.web.access`, call the application modules, render a template."""
