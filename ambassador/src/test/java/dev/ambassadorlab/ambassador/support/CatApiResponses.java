package dev.ambassadorlab.ambassador.support;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Answers shaped like The Cat API's, built on the lab's own mock data so unit and container tests agree. */
public final class CatApiResponses {
    public static final Path MOCK_IMAGES = Path.of("..", "mock-cat-api", "wiremock", "__files", "images");

    private CatApiResponses() {
    }

    public static MockResponse search(String id, String url) {
        return json("[{\"id\":\"" + id + "\",\"url\":\"" + url + "\",\"width\":400,\"height\":300}]");
    }

    /** A search answer whose image lives on {@code images} at /images/{id}.jpg. */
    public static MockResponse searchOn(MockWebServer images, String id) {
        return search(id, images.url("/images/" + id + ".jpg").toString());
    }

    public static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    public static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json")
                .body("{\"message\":\"status " + code + "\"}").build();
    }

    /** A 429 or 5xx that asks for a wait before the next attempt: {@code Retry-After: retryAfter}. */
    public static MockResponse statusWithRetryAfter(int code, String retryAfter) {
        return new MockResponse.Builder(status(code)).addHeader("Retry-After", retryAfter).build();
    }

    public static MockResponse jpeg() {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "image/jpeg")
                .body(new Buffer().write(tabbyJpeg())).build();
    }

    public static byte[] tabbyJpeg() {
        try {
            return Files.readAllBytes(MOCK_IMAGES.resolve("tabby.jpg"));
        } catch (IOException missing) {
            throw new UncheckedIOException(missing);
        }
    }
}
