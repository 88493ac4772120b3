"""The built-in document types, one plugin module per document family.

Each module implements ``lingyun_register_document_types`` and is registered by the plugin
host exactly like a third-party plugin (see :data:`lingyun.plugins.DEFAULT_PLUGINS`).
Template documents share :func:`lingyun.documents.template.template_document`; each module
adds only what is its own: the property, titles, and the table of English keys.
"""
