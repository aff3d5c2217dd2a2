package dev.ambassadorlab.ambassador.images;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.nio.file.Path;

/**
 * The answer to {@code GET /images/latest}: which image was saved, where it came from and how large it is.
 * {@code stale} is true when the upstream was down and this is the last good image instead of a new one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageResult(
        @JsonProperty("image_id") String imageId,
        @JsonProperty("url") String url,
        @JsonProperty("width") Integer width,
        @JsonProperty("height") Integer height,
        @JsonProperty("bytes") long bytes,
        @JsonProperty("file") String file,
        @JsonProperty("stale") boolean stale,
        @JsonProperty("stale_reason") String staleReason,
        @JsonIgnore Path path) {

    public ImageResult asStale(String reason) {
        return new ImageResult(imageId, url, width, height, bytes, file, true, reason, path);
    }
}
