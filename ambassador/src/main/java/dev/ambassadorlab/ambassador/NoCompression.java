package dev.ambassadorlab.ambassador;

import io.javalin.compression.CompressionStrategy;

import java.util.List;

/**
 * The proxy port's answers go to the app over loopback, where compressing them costs CPU and saves nothing. Javalin
 * compresses with gzip by default, and even with no compressor it matches every answer's Content-Type against its list
 * of types not worth compressing, case-insensitively, one type after another, on every answer.
 * This strategy has no compressor, an empty list and no size worth compressing, so that work is skipped too.
 */
public final class NoCompression {
    private NoCompression() {
    }

    public static CompressionStrategy strategy() {
        var none = new CompressionStrategy(null, null);
        none.setExcludedMimeTypes(List.of());
        none.setDefaultMinSizeForCompression(Integer.MAX_VALUE);
        return none;
    }
}
