"""One colour per metric on every chart (issue 17: colours were handed out by position,
so "clicks" was purple on one dashboard and teal on the next)."""

import json

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def _chart(page, chart_id, metrics):
    data = {
        "type": "bar",
        "labels": ["Jan", "Feb"],
        "datasets": [{"metric": m, "label": m.title(), "data": [1, 2]} for m in metrics],
    }
    page.evaluate(
        """([id, data]) => {
            const box = document.createElement('div');
            box.innerHTML = `<canvas data-chart="${id}"></canvas>`;
            const source = document.createElement('script');
            source.type = 'application/json'; source.id = id; source.textContent = data;
            box.appendChild(source);
            document.querySelector('main').appendChild(box);
            box.dispatchEvent(new CustomEvent('htmx:afterSwap', {bubbles: true}));
        }""",
        [chart_id, json.dumps(data)],
    )
    return page.evaluate(
        """id => Object.fromEntries(Chart.getChart(document.querySelector(`canvas[data-chart="${id}"]`))
            .data.datasets.map(d => [d.label.toLowerCase(), d.borderColor]))""",
        chart_id,
    )


def test_a_metric_keeps_its_colour_whatever_its_place_on_the_chart(page, live_server):
    page.goto("/accounts/login/")
    page.add_script_tag(url="/static/vendor/chartjs/chart.umd.min.js")
    page.add_script_tag(url="/static/analytics/dashboards.js")
    team = _chart(page, "team-chart", ["clicks", "shares"])
    campaigns = _chart(page, "campaign-chart", ["shares", "conversions", "clicks"])
    assert team["clicks"] == campaigns["clicks"]
    assert team["shares"] == campaigns["shares"]
    assert len(set(campaigns.values())) == 3, campaigns
    css = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--chorus-metric-clicks').trim()"
    )
    assert team["clicks"] == css
