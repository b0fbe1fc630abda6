"""Faithful local stand-ins for services no open server exists for (hub API, NASA)."""
