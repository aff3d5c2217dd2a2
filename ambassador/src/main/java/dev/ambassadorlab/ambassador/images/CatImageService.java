package dev.ambassadorlab.ambassador.images;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;
import dev.ambassadorlab.ambassador.metrics.AmbassadorMetrics;
import dev.ambassadorlab.ambassador.request.RequestContext;
import dev.ambassadorlab.ambassador.security.ApiKey;
import dev.ambassadorlab.ambassador.security.ImageHostAllowlist;
import dev.ambassadorlab.ambassador.security.ImageId;
import dev.ambassadorlab.ambassador.security.Origin;
import dev.ambassadorlab.ambassador.upstream.UpstreamCall;
import dev.ambassadorlab.ambassador.upstream.UpstreamCaller;
import dev.ambassadorlab.ambassador.upstream.UpstreamRequest;
import dev.ambassadorlab.ambassador.upstream.UpstreamResponse;
import okhttp3.HttpUrl;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The ambassador's own job: ask The Cat API for an image, download it and save it. Every value that comes from the
 * upstream is checked before it is used: the search answer's shape, the id (it becomes a file name), the image URL
 * (scheme, host and port), and the image itself (type, bytes, size).
 */
public final class CatImageService {
    /** A search answer is a few hundred bytes; a megabyte is plenty and keeps a runaway answer out of memory. */
    private static final long SEARCH_MAX_BYTES = 1024 * 1024;
    private final UpstreamCaller upstream;
    private final HttpUrl searchUrl;
    private final String catApiUpstream;
    private final ImageHostAllowlist allowlist;
    private final ApiKey key;
    private final ImageStore store;
    private final long imageMaxBytes;
    private final AmbassadorMetrics metrics;

    public CatImageService(UpstreamCaller upstream, HttpUrl catApiUrl, ImageHostAllowlist allowlist, ApiKey key,
                           ImageStore store, long imageMaxBytes, AmbassadorMetrics metrics) {
        this.upstream = upstream;
        this.searchUrl = catApiUrl.newBuilder().addPathSegments("v1/images/search").build();
        this.catApiUpstream = Origin.of(searchUrl).label();
        this.allowlist = allowlist;
        this.key = key;
        this.store = store;
        this.imageMaxBytes = imageMaxBytes;
        this.metrics = metrics;
    }

    public ImageResult fetchLatest(RequestContext caller) {
        UpstreamResponse search = upstream.call(UpstreamRequest.get(UpstreamCall.SEARCH, searchUrl, catApiUpstream,
                SEARCH_MAX_BYTES), caller);
        if (!search.isSuccessful()) throw upstream.rejected(search, UpstreamCall.SEARCH, caller);
        SearchHit hit = SearchHit.parse(search.body());

        ImageId id = refuseUnless(() -> new ImageId(hit.id()), ErrorCode.INVALID_IMAGE_ID,
                "its image id cannot be a safe file name (1 to 64 letters, digits, '-' or '_')");
        HttpUrl url = refuseUnless(() -> allowlist.check(hit.url()), ErrorCode.IMAGE_URL_NOT_ALLOWED,
                "its image URL may not be downloaded (not http or https, with user info, or from an origin that "
                        + "IMAGE_HOSTS does not allow)");
        // The key is for The Cat API only: in an image URL it would reach the image host, and the caller.
        if (key.appearsIn(hit.url()) || key.appearsIn(url.toString())) {
            throw new AmbassadorException(ErrorCode.IMAGE_URL_NOT_ALLOWED, "The Cat API's search answer was refused: "
                    + "its image URL carries the API key", null, "image url " + hit.url());
        }
        // The allowed origin, not the URL's own host, names the upstream: under "*.example.com" any number of hosts
        // share one breaker and one metric label, so what the ambassador keeps per upstream stays bounded.
        String imageUpstream = allowlist.allowing(url).map(Origin::label).orElseGet(() -> Origin.of(url).label());

        // The image streams to a temporary file (one per attempt), so memory holds only its first bytes, however large.
        AtomicReference<ImageStore.Incoming> download = new AtomicReference<>();
        UpstreamResponse image = upstream.call(UpstreamRequest.download(url, imageUpstream, imageMaxBytes, bytes -> {
            ImageStore.Incoming incoming = store.incoming(bytes);
            download.set(incoming);
            return incoming;
        }), caller);
        if (!image.isSuccessful()) throw upstream.rejected(image, UpstreamCall.IMAGE, caller);
        ImageFormat format;
        try {
            format = ImageFormat.verify(image.contentType(), image.body());
        } catch (RuntimeException notAnImage) {
            download.get().discard();
            throw notAnImage;
        }
        Path saved = store.commit(download.get(), id, format);
        metrics.imageSaved();
        return new ImageResult(id.value(), url.toString(), hit.width(), hit.height(), image.size(),
                saved.getFileName().toString(), false, null, saved);
    }

    /**
     * Runs a safety check; a refusal becomes a 502 that names the problem in the ambassador's words. The check's own
     * message quotes the hostile value (an id, a URL) and the allowlist: it goes to the log only.
     */
    private static <T> T refuseUnless(Supplier<T> check, ErrorCode error, String problem) {
        try {
            return check.get();
        } catch (IllegalArgumentException refused) {
            throw new AmbassadorException(error, "The Cat API's search answer was refused: " + problem, null,
                    refused.getMessage());
        }
    }
}
