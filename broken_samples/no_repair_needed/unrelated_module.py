# -*- coding: utf-8 -*-
"""Helpers with no CDKTF in them: the tool must return them byte for byte (tabs, CRLF-free, “quotes”)."""


def slug(text):
	return "-".join(text.lower().split())  # a tab-indented body


class S3BucketVersioning:  # a local class that only shares a provider name
    pass
