package dev.ambassadorlab.labtests.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ambassadorlab.labtests.ScenarioLog;
import dev.ambassadorlab.labtests.pod.LabPod;
import dev.ambassadorlab.labtests.pod.Metrics;
import dev.ambassadorlab.labtests.pod.PodVariant;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus, configured with deploy/prometheus, scrapes the ambassador while faults happen; then every query
 * of the Grafana dashboard must return data, and that data must agree with the ambassador's own /metrics. promtool
 * checks the committed config and rules, runs the alert rules' unit tests, and lints the live exposition.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@ExtendWith(ScenarioLog.class)
class ObservabilityIT {
    private static final LabPod POD = LabPod.get();
    private static PrometheusServer prometheus;

    @BeforeAll
    static void startPrometheus() {
        POD.use(PodVariant.FINISHED);
        POD.reset();
        prometheus = new PrometheusServer(POD);
        // A first scrape before any traffic, so the scenario's requests show up as increases (and rates)
        await("Prometheus' first scrape of the ambassador").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> prometheus.query("up{job=\"ambassador\"} == 1").size() == 1);
    }

    @AfterAll
    static void stopPrometheus() {
        prometheus.close();
    }

    /** Each query of each panel of the dashboard, with Grafana's rate interval set to one minute. */
    private static List<String[]> dashboardQueries() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(LabPod.ROOT.resolve("deploy/grafana/dashboards/ambassador.json").toFile());
        List<String[]> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new String[]{panel.path("title").asText(), target.path("expr").asText().replace("$__rate_interval", "1m")});
            }
        }
        return queries;
    }

    /** Prometheus' series without the labels it adds itself, for comparison with /metrics. */
    private static Map<Map<String, String>, Double> withoutTargetLabels(Map<Map<String, String>, Double> result) {
        Map<Map<String, String>, Double> stripped = new HashMap<>();
        result.forEach((labels, value) -> {
            Map<String, String> own = new TreeMap<>(labels);
            own.keySet().removeAll(List.of("instance", "job", "service", "__name__"));
            stripped.put(own, value);
        });
        return stripped;
    }

    @Test
    void during_a_fault_every_dashboard_query_returns_data_that_agrees_with_metrics() throws Exception {
        // Baseline: a few good requests
        for (int i = 0; i < 3; i++) assertThat(POD.ambassador("/images/latest").status()).isEqualTo(200);
        // Fault: one 503 (a retry), then the upstream disappears (the breaker opens, a stale image is served)
        POD.catApiMock().register(get(urlPathEqualTo("/v1/images/search")).atPriority(1).inScenario("blip")
                .whenScenarioStateIs(STARTED).willSetStateTo("over").willReturn(aResponse().withStatus(503)));
        assertThat(POD.ambassador("/images/latest").status()).isEqualTo(200);
        POD.catApiProxy().disable();
        for (int i = 0; i < 3; i++) POD.ambassador("/images/latest");
        POD.catApiProxy().enable();

        // Once the pod is quiet, Prometheus' last scrape and /metrics agree on every panel's query. Some values move
        // on their own for a while (the retry budget refills as its window slides), so the check is repeated until
        // they have settled; a query that never agrees fails with its last difference.
        Metrics during = POD.metrics();
        assertThat(during.value("ambassador_fallbacks_total")).as("the scenario served a stale image").isPositive();
        assertThat(during.max("ambassador_circuit_breaker_state")).as("the scenario opened the breaker").isEqualTo(2);
        List<String[]> queries = dashboardQueries();
        await("every dashboard query to agree with /metrics").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    Metrics metrics = POD.metrics();
                    for (String[] panelQuery : queries) assertPanelAgrees(panelQuery[0], panelQuery[1], metrics);
                });
    }

    private static void assertPanelAgrees(String panel, String query, Metrics metrics) {
        var live = prometheus.query(query);
        assertThat(live).as("panel \"%s\": %s returns data", panel, query).isNotEmpty();
        assertThat(live.values()).as("panel \"%s\": %s", panel, query).noneMatch(value -> value.isNaN());

        String raw = PromQlLite.withoutRates(query);
        var fromPrometheus = withoutTargetLabels(prometheus.query(raw));
        var fromMetrics = PromQlLite.evaluate(raw, metrics);
        assertThat(fromPrometheus.keySet()).as("panel \"%s\": series of %s", panel, raw).isEqualTo(fromMetrics.keySet());
        fromMetrics.forEach((labels, expected) -> assertThat(fromPrometheus.get(labels))
                .as("panel \"%s\": %s %s in Prometheus and in /metrics", panel, raw, labels)
                .isCloseTo(expected, Offset.offset(1e-9 + Math.abs(expected) * 1e-9)));
    }

    @Test
    void promtool_accepts_the_committed_config_and_rules_and_the_rules_unit_tests_pass() {
        var config = prometheus.promtool(null, "check", "config", "/etc/prometheus/prometheus.yml");
        assertThat(config.getExitCode()).as(config.getStdout() + config.getStderr()).isZero();
        var rules = prometheus.promtool(null, "check", "rules", "/etc/prometheus/alerts.yml");
        assertThat(rules.getExitCode()).as(rules.getStdout() + rules.getStderr()).isZero();
        assertThat(rules.getStdout()).contains("SUCCESS: 4 rules found");
        var unitTests = prometheus.promtool(null, "test", "rules", "/etc/prometheus/alerts.test.yml");
        assertThat(unitTests.getExitCode()).as(unitTests.getStdout() + unitTests.getStderr()).isZero();
    }

    @Test
    void promtool_accepts_the_live_metrics_exposition() {
        POD.ambassador("/images/latest");
        String exposition = POD.admin("/metrics").body();

        var lint = prometheus.promtool(exposition, "check", "metrics");

        assertThat(lint.getExitCode()).as("promtool check metrics: %s%s", lint.getStdout(), lint.getStderr()).isZero();
        assertThat(lint.getStdout() + lint.getStderr()).as("promtool's lint findings").isBlank();
    }
}
