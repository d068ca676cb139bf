"""Run Tryton's scenario doctests (tests/scenario_*.rst) under pytest.

pytest ignores unittest's load_tests, which is how Tryton collects them."""
import doctest
import unittest

import pytest


class ScenarioItem(pytest.Item):

    def __init__(self, *, case, **kwargs):
        super().__init__(**kwargs)
        self.case = case

    def runtest(self):
        result = unittest.TestResult()
        self.case.run(result)
        for _, text in result.errors + result.failures:
            raise ScenarioFailure(text)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, ScenarioFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, 0, f'scenario: {self.name}'


class ScenarioFailure(Exception):
    pass


class ScenarioFile(pytest.File):

    def collect(self):
        from trytond import backend
        from trytond.tests.test_tryton import (
            STRIP_DECIMAL, doctest_checker, doctest_setup, doctest_teardown)
        # The same flags as trytond's load_doc_tests
        flags = (doctest.REPORT_ONLY_FIRST_FAILURE | doctest.ELLIPSIS
            | doctest.IGNORE_EXCEPTION_DETAIL)
        if backend.name == 'sqlite':
            flags |= STRIP_DECIMAL
        case = doctest.DocFileSuite(
            str(self.path), module_relative=False,
            setUp=doctest_setup, tearDown=doctest_teardown, encoding='utf-8',
            checker=doctest_checker, optionflags=flags)
        yield ScenarioItem.from_parent(self, name=self.path.stem, case=case)


def pytest_collect_file(file_path, parent):
    if file_path.suffix == '.rst' and file_path.name.startswith('scenario_'):
        return ScenarioFile.from_parent(parent, path=file_path)
