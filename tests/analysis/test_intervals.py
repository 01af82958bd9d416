"""Tests of sim.analysis.intervals: Student-t half-widths of a mean, `mean_ci`, and the Welch
interval, against scipy.stats and against small examples worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis.intervals import mean_ci, t_halfwidth, welch_halfwidth

# t quantiles in closed form: with 1 degree of freedom t_p = tan(pi (p - 1/2)) (the Cauchy
# distribution), with 2 degrees of freedom t_p = (2p - 1) / sqrt(2p (1 - p))
T975_DF1 = math.tan(math.pi * 0.475)  # 12.7062...
T975_DF2 = 0.95 / math.sqrt(2 * 0.975 * 0.025)  # 4.3027...
T950_DF2 = 0.90 / math.sqrt(2 * 0.95 * 0.05)  # 2.9200...
T975_DF4 = 2.7764451051977934  # from a table (scipy.stats.t.ppf(0.975, 4))


@pytest.mark.parametrize("n", [2, 3, 5, 10, 30, 100])
@pytest.mark.parametrize("confidence", [0.90, 0.95, 0.99])
def test_t_halfwidth_matches_scipy(n, confidence):
    x = np.random.default_rng(n).normal(50.0, 7.0, size=n)
    expected = stats.t.ppf(0.5 + confidence / 2, n - 1) * np.std(x, ddof=1) / math.sqrt(n)
    assert t_halfwidth(x, confidence) == pytest.approx(expected, rel=1e-12)


def test_t_halfwidth_default_confidence_is_95_percent():
    x = [3.0, 7.0, 8.0, 12.0]
    assert t_halfwidth(x) == t_halfwidth(x, 0.95)
    assert t_halfwidth(x, 0.90) < t_halfwidth(x) < t_halfwidth(x, 0.99)


def test_t_halfwidth_worked_examples():
    # [0, 2]: sd = sqrt(2), n = 2, so the half-width is t(0.975, 1) * sqrt(2) / sqrt(2)
    assert t_halfwidth([0.0, 2.0]) == pytest.approx(T975_DF1, rel=1e-12)
    # [1, 2, 3]: sd = 1, n = 3: t(0.975, 2) / sqrt(3) = 2.48414...
    assert t_halfwidth([1, 2, 3]) == pytest.approx(T975_DF2 / math.sqrt(3), rel=1e-12)
    assert t_halfwidth([1, 2, 3]) == pytest.approx(2.484137, abs=1e-6)
    # the same at 90%: t(0.95, 2) / sqrt(3) = 1.68585...
    assert t_halfwidth([1, 2, 3], confidence=0.90) == pytest.approx(T950_DF2 / math.sqrt(3), rel=1e-12)
    # shifting the values does not change the width; scaling them scales it
    assert t_halfwidth([101, 102, 103]) == pytest.approx(t_halfwidth([1, 2, 3]), rel=1e-12)
    assert t_halfwidth([10, 20, 30]) == pytest.approx(10 * t_halfwidth([1, 2, 3]), rel=1e-12)


def test_t_halfwidth_of_equal_values_is_zero():
    assert t_halfwidth([4.2, 4.2, 4.2, 4.2]) == 0.0


@pytest.mark.parametrize("values", [[], [5.0], [math.nan], [math.nan, 5.0], [math.nan, math.nan]])
def test_t_halfwidth_needs_two_values(values):
    assert math.isnan(t_halfwidth(values))


def test_t_halfwidth_ignores_nan_values():
    # [1, nan, 3] is [1, 3]: sd = sqrt(2), n = 2
    assert t_halfwidth([1.0, math.nan, 3.0]) == pytest.approx(T975_DF1, rel=1e-12)
    assert t_halfwidth([math.nan, 1.0, 2.0, math.nan, 3.0]) == pytest.approx(T975_DF2 / math.sqrt(3), rel=1e-12)


def test_mean_ci_worked_example():
    out = mean_ci([1, 2, 3])
    assert set(out) == {"mean", "ci95", "values"}
    assert out["mean"] == 2.0
    assert out["ci95"] == pytest.approx(T975_DF2 / math.sqrt(3), rel=1e-12)
    assert out["values"] == [1.0, 2.0, 3.0]
    assert all(type(v) is float for v in out["values"])


def test_mean_ci_of_one_value_has_no_interval():
    out = mean_ci([7])
    assert out["mean"] == 7.0 and math.isnan(out["ci95"]) and out["values"] == [7.0]


def test_mean_ci_of_nothing_is_nan():
    out = mean_ci([])
    assert math.isnan(out["mean"]) and math.isnan(out["ci95"]) and out["values"] == []


def test_mean_ci_skips_nan_but_keeps_it_in_values():
    out = mean_ci([1.0, math.nan, 3.0])
    assert out["mean"] == 2.0
    assert out["ci95"] == pytest.approx(T975_DF1, rel=1e-12)
    assert out["values"][0] == 1.0 and math.isnan(out["values"][1]) and out["values"][2] == 3.0


def test_mean_ci_all_nan():
    out = mean_ci([math.nan, math.nan])
    assert math.isnan(out["mean"]) and math.isnan(out["ci95"])


def test_mean_ci_accepts_numpy_and_pandas_values():
    a = mean_ci(np.array([1, 2, 3]))
    b = mean_ci(pd.Series([1.0, 2.0, 3.0]))
    assert a == b == mean_ci([1.0, 2.0, 3.0])


def test_welch_equal_variances_and_sizes_is_the_pooled_interval():
    # a = [1, 2, 3], b = [4, 5, 6]: both variances 1, se^2 = 1/3 + 1/3, Welch's df = 4 = n_a + n_b - 2
    a, b = np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])
    assert welch_halfwidth(a, b) == pytest.approx(T975_DF4 * math.sqrt(2 / 3), rel=1e-9)
    assert welch_halfwidth(a, b) == pytest.approx(2.266958, abs=1e-6)


def test_welch_unequal_variances_worked_example():
    # a = [1, 2, 3] (var 1), b = [2, 4, 6] (var 4): se^2 = 1/3 + 4/3 = 5/3;
    # df = (5/3)^2 / ((1/3)^2 / 2 + (4/3)^2 / 2) = (25/9) / (17/18) = 50/17
    a, b = np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0])
    expected = stats.t.ppf(0.975, 50 / 17) * math.sqrt(5 / 3)
    assert welch_halfwidth(a, b) == pytest.approx(expected, rel=1e-12)
    assert welch_halfwidth(b, a) == pytest.approx(expected, rel=1e-12)  # symmetric in a and b
    assert welch_halfwidth(a, b, confidence=0.90) == pytest.approx(
        stats.t.ppf(0.95, 50 / 17) * math.sqrt(5 / 3), rel=1e-12)


def test_welch_unequal_sizes_matches_the_textbook_formula():
    rng = np.random.default_rng(3)
    a, b = rng.normal(10, 1, size=4), rng.normal(12, 3, size=9)
    va, vb = a.var(ddof=1) / 4, b.var(ddof=1) / 9
    df = (va + vb) ** 2 / (va**2 / 3 + vb**2 / 8)
    assert welch_halfwidth(a, b) == pytest.approx(stats.t.ppf(0.975, df) * math.sqrt(va + vb), rel=1e-12)


def test_welch_without_spread_is_zero():
    assert welch_halfwidth(np.array([2.0, 2.0, 2.0]), np.array([5.0, 5.0])) == 0.0


def test_welch_with_one_constant_sample_is_the_other_samples_t_interval():
    # var(a) = 0: se^2 = var(b)/n_b and df = n_b - 1, the one-sample t interval of b
    a, b = np.array([3.0, 3.0, 3.0]), np.array([1.0, 2.0, 3.0])
    assert welch_halfwidth(a, b) == pytest.approx(t_halfwidth(b), rel=1e-12)


def test_the_t_table_is_scipys_to_the_last_bit():
    from scipy.special import stdtrit

    from sim.analysis.t_table import T975

    assert len(T975) == 200
    for df, q in enumerate(T975, start=1):
        assert q == float(stdtrit(df, 0.975)), df


@pytest.mark.parametrize("df", [1, 2, 9, 200, 201, 7.5])
@pytest.mark.parametrize("p", [0.975, 0.95])
def test_t_quantile_is_scipys_with_or_without_the_table(df, p):
    from scipy.special import stdtrit

    from sim.analysis.intervals import t_quantile

    assert t_quantile(df, p) == float(stdtrit(df, p))
