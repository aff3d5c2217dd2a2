package dev.ambassadorlab.console.faults;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The faults against a stand-in for Toxiproxy's admin API (the requests it is sent, exactly) and a real WireMock
 * (what its search answers once a fault is on, and after clearing).
 */
class FaultsTest {
    private static final Instant NOW = Instant.parse("2026-12-06T23:00:00Z");
    private final OkHttpClient http = new OkHttpClient();
    private WireMockServer toxiproxy;
    private WireMockServer mock;
    private Faults faults;

    @BeforeEach
    void standIns() {
        toxiproxy = new WireMockServer(options().dynamicPort());
        mock = new WireMockServer(options().dynamicPort());
        toxiproxy.start();
        mock.start();
        toxiproxy.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        toxiproxy.stubFor(get("/proxies/cat-api/toxics").willReturn(okJson("[]")));
        // The mock Cat API's own search, as in mock-cat-api/wiremock/mappings
        mock.stubFor(get(urlPathEqualTo("/v1/images/search")).willReturn(okJson("[{\"id\":\"tabby\"}]")));
        faults = new Faults(new Toxiproxy(HttpUrl.get(toxiproxy.baseUrl()), "cat-api", http),
                new WireMockAdmin(HttpUrl.get(mock.baseUrl()), http), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        toxiproxy.stop();
        mock.stop();
    }

    private int search() throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(mock.baseUrl() + "/v1/images/search").build())
                .execute()) {
            return response.code();
        }
    }

    @Test
    void latency_adds_a_one_second_toxic_on_the_answers() {
        faults.apply("latency");

        toxiproxy.verify(postRequestedFor(urlEqualTo("/proxies/cat-api/toxics")).withRequestBody(equalToJson("""
                {"name":"console-latency","type":"latency","stream":"downstream","toxicity":1.0,
                 "attributes":{"latency":1000,"jitter":0}}""")));
    }

    @Test
    void hang_reset_and_slow_images_are_toxics_and_down_disables_the_proxy() {
        faults.apply("hang");
        faults.apply("reset");
        faults.apply("slow-images");
        faults.apply("down");

        toxiproxy.verify(postRequestedFor(urlEqualTo("/proxies/cat-api/toxics"))
                .withRequestBody(equalToJson("{\"type\":\"timeout\",\"attributes\":{\"timeout\":0}}", true, true)));
        toxiproxy.verify(postRequestedFor(urlEqualTo("/proxies/cat-api/toxics"))
                .withRequestBody(equalToJson("{\"type\":\"reset_peer\"}", true, true)));
        toxiproxy.verify(postRequestedFor(urlEqualTo("/proxies/cat-api/toxics"))
                .withRequestBody(equalToJson("{\"type\":\"bandwidth\",\"attributes\":{\"rate\":50}}", true, true)));
        toxiproxy.verify(postRequestedFor(urlEqualTo("/proxies/cat-api")).withRequestBody(equalToJson("{\"enabled\":false}")));
    }

    @Test
    void a_toxic_fault_pressed_again_replaces_its_toxic() {
        faults.apply("reset");
        faults.apply("reset");

        toxiproxy.verify(2, deleteRequestedFor(urlEqualTo("/proxies/cat-api/toxics/console-reset")));
        toxiproxy.verify(2, postRequestedFor(urlEqualTo("/proxies/cat-api/toxics")));
    }

    @Test
    void a_burst_of_503s_answers_the_next_two_searches_and_then_the_mock_answers_again() throws IOException {
        faults.apply("burst-503");

        assertThat(new int[] {search(), search(), search()}).containsExactly(503, 503, 200);
    }

    @Test
    void pressing_the_burst_again_starts_a_new_one() throws IOException {
        faults.apply("burst-503");
        search();
        search();

        faults.apply("burst-503");

        assertThat(new int[] {search(), search(), search()}).containsExactly(503, 503, 200);
        assertThat(mock.getStubMappings()).as("the earlier burst's mappings replaced").hasSize(3);
    }

    @Test
    void rate_limiting_answers_429_with_retry_after_twice() throws IOException {
        faults.apply("rate-limit-429");

        try (Response response = http.newCall(new Request.Builder().url(mock.baseUrl() + "/v1/images/search").build())
                .execute()) {
            assertThat(response.code()).isEqualTo(429);
            assertThat(response.header("Retry-After")).isEqualTo("1");
        }
        assertThat(new int[] {search(), search()}).containsExactly(429, 200);
    }

    @Test
    void the_hostile_search_names_an_image_on_a_host_not_allowed_until_cleared() throws IOException {
        faults.apply("hostile-search");

        try (Response response = http.newCall(new Request.Builder().url(mock.baseUrl() + "/v1/images/search").build())
                .execute()) {
            assertThat(response.body().string()).contains("http://attacker.invalid/");
        }
    }

    @Test
    void active_faults_are_listed_with_when_they_came_on_and_clear_all_puts_everything_back() throws IOException {
        toxiproxy.stubFor(get("/proxies/cat-api/toxics").willReturn(okJson("""
                [{"name":"console-latency","type":"latency"},{"name":"someone-elses","type":"timeout"}]""")));
        faults.apply("latency");
        faults.apply("hostile-search");

        assertThat(faults.list()).filteredOn(Faults.FaultView::active).extracting(Faults.FaultView::name)
                .containsExactly("latency", "hostile-search");
        assertThat(faults.list().get(0).since()).isEqualTo(NOW.toEpochMilli());

        assertThat(faults.clearAll().cleared()).containsExactly("Toxiproxy", "WireMock");

        assertThat(faults.list()).noneMatch(Faults.FaultView::active);
        assertThat(faults.windows()).extracting(Faults.FaultWindow::name).containsExactly("latency", "hostile-search");
        toxiproxy.verify(deleteRequestedFor(urlEqualTo("/proxies/cat-api/toxics/console-latency")));
        toxiproxy.verify(deleteRequestedFor(urlEqualTo("/proxies/cat-api/toxics/someone-elses")));
        toxiproxy.verify(postRequestedFor(urlEqualTo("/proxies/cat-api")).withRequestBody(equalToJson("{\"enabled\":true}")));
        assertThat(mock.getStubMappings()).as("only the mock's own mapping left").extracting(StubMapping::getMetadata)
                .containsOnlyNulls();
        assertThat(search()).isEqualTo(200);
    }

    @Test
    void clear_all_with_toxiproxy_down_still_clears_wiremocks_faults_and_names_what_it_could_not_reach() throws IOException {
        faults.apply("latency");
        faults.apply("hostile-search");
        String url = HttpUrl.get(toxiproxy.baseUrl()).toString();
        toxiproxy.stop();

        Faults.Cleared cleared = faults.clearAll();

        assertThat(cleared.cleared()).containsExactly("WireMock");
        assertThat(cleared.note()).startsWith("Cleared the faults of WireMock; not the others: ")
                .contains("Toxiproxy cannot be reached at " + url + " (TOXIPROXY_URL)");
        assertThat(cleared.faults()).filteredOn(Faults.FaultView::active).extracting(Faults.FaultView::name)
                .as("Toxiproxy's fault could not be cleared, so it is still shown on").containsExactly("latency");
        assertThat(search()).isEqualTo(200);
    }

    @Test
    void clear_all_with_wiremock_down_still_clears_toxiproxy() {
        faults.apply("reset");
        mock.stop();

        Faults.Cleared cleared = faults.clearAll();

        assertThat(cleared.cleared()).containsExactly("Toxiproxy");
        assertThat(cleared.note()).contains("WireMock cannot be reached").contains("(WIREMOCK_URL)");
        assertThat(cleared.faults()).noneMatch(Faults.FaultView::active);
        toxiproxy.verify(postRequestedFor(urlEqualTo("/proxies/cat-api")).withRequestBody(equalToJson("{\"enabled\":true}")));
    }

    @Test
    void clear_all_with_everything_cleared_says_so() {
        assertThat(faults.clearAll().note()).isEqualTo("Every fault is off: the mock Cat API answers normally again.");
    }

    @Test
    void clear_all_with_neither_admin_api_reached_is_a_503_naming_both() {
        toxiproxy.stop();
        mock.stop();

        assertThatThrownBy(() -> faults.clearAll())
                .isInstanceOfSatisfying(AdminApiException.class, failed -> assertThat(failed.status()).isEqualTo(503))
                .hasMessageContaining("TOXIPROXY_URL").hasMessageContaining("WIREMOCK_URL");
    }

    @Test
    void the_list_does_not_fail_when_wiremock_is_down() {
        faults.apply("burst-503");
        mock.stop();

        assertThat(faults.list()).filteredOn(Faults.FaultView::active).extracting(Faults.FaultView::name)
                .containsExactly("burst-503");
    }

    @Test
    void a_burst_shows_off_once_its_answers_are_used_up_and_its_window_closes() throws IOException {
        faults.apply("burst-503");
        search();

        assertThat(faults.list()).filteredOn(Faults.FaultView::active).extracting(Faults.FaultView::name)
                .as("one of its two answers given").containsExactly("burst-503");

        search();

        assertThat(faults.list()).as("both answers given").noneMatch(Faults.FaultView::active);
        assertThat(faults.windows()).extracting(Faults.FaultWindow::to).doesNotContainNull();
    }

    @Test
    void an_unknown_fault_is_refused_with_the_names_there_are() {
        assertThatThrownBy(() -> faults.apply("meteor"))
                .isInstanceOf(UnknownFaultException.class)
                .hasMessage("no fault named \"meteor\"; the faults are: latency, hang, reset, down, burst-503, "
                        + "rate-limit-429, slow-images, hostile-search");
    }

    @Test
    void an_admin_api_that_cannot_be_reached_is_a_503_naming_it_and_its_setting() {
        String url = HttpUrl.get(toxiproxy.baseUrl()).toString();
        toxiproxy.stop();

        assertThatThrownBy(() -> faults.apply("latency"))
                .isInstanceOfSatisfying(AdminApiException.class, failed -> assertThat(failed.status()).isEqualTo(503))
                .hasMessageContaining("Toxiproxy cannot be reached at " + url + " (TOXIPROXY_URL)");
        assertThat(faults.list()).noneMatch(Faults.FaultView::active);
    }

    @Test
    void an_admin_api_that_refuses_is_a_502_with_its_answer() {
        toxiproxy.stubFor(any(urlEqualTo("/proxies/cat-api/toxics")).willReturn(okJson("{\"error\":\"bad toxic\"}")
                .withStatus(400)));

        assertThatThrownBy(() -> faults.apply("reset"))
                .isInstanceOfSatisfying(AdminApiException.class, failed -> assertThat(failed.status()).isEqualTo(502))
                .hasMessage("Toxiproxy answered 400 to POST /proxies/cat-api/toxics: {\"error\":\"bad toxic\"}");
    }
}
