package dev.ambassadorlab.labtests;

import dev.ambassadorlab.labtests.images.LabImages;
import dev.ambassadorlab.labtests.pod.LabPod;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

class HappyPathIT extends ChaosTest {

    @Test
    void the_app_gets_a_cat_through_its_ambassador_and_every_counter_moves_by_one() throws Exception {
        var before = pod.metrics();

        var answer = pod.app("/images/latest");

        assertThat(answer.status()).as("app answer: %s", answer.body()).isEqualTo(200);
        String id = answer.body().replaceAll(".*\"image_id\":\"([^\"]+)\".*", "$1");
        var after = pod.metrics();
        assertThat(after.increaseSince(before, "ambassador_requests_total", "status", "success")).isEqualTo(1);
        assertThat(after.increaseSince(before, "ambassador_images_saved_total")).isEqualTo(1);
        assertThat(after.increaseSince(before, "ambassador_request_duration_seconds_count")).isEqualTo(1);
        assertThat(after.increaseSince(before, "ambassador_retries_total")).isZero();
        assertThat(after.increaseSince(before, "ambassador_upstream_attempts_total", "outcome", "success"))
                .as("the search and the download").isEqualTo(2);
        assertThat(pod.catApiMock().find(getRequestedFor(urlPathEqualTo("/v1/images/search")))).hasSize(1);
        assertThat(pod.catApiMock().find(getRequestedFor(urlPathMatching("/images/.*")))).hasSize(1);

        byte[] original = Files.readAllBytes(LabPod.ROOT.resolve("mock-cat-api/wiremock/__files/images/" + id + ".jpg"));
        assertThat(pod.savedFiles()).containsExactly("/images/" + id + ".jpg");
        assertThat(pod.sha256InAmbassador("/images/" + id + ".jpg")).as("the saved file is the mock's JPEG, byte for byte")
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(original)));
    }

    @Test
    void the_toxiproxy_in_the_pod_is_the_real_server_at_the_expected_version() throws Exception {
        assertThat(pod.toxiproxy().version()).contains(LabImages.toxiproxyVersion());
    }
}
