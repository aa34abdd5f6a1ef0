"""Tests of the Excel layer: the VBA writers and the PMO.xlam builder."""
