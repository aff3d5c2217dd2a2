package dev.ambassadorlab.ambassador.images;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;

import java.util.Arrays;
import java.util.Locale;

/**
 * The image types the ambassador saves. Both the Content-Type and the first bytes must agree, so an HTML error page or
 * a script served as "image/jpeg" is refused instead of being written to disk under an image's name.
 */
public enum ImageFormat {
    JPEG("image/jpeg", "jpg", new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}),
    PNG("image/png", "png", new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}),
    GIF("image/gif", "gif", new byte[]{'G', 'I', 'F', '8'});

    private final String mediaType;
    private final String extension;
    private final byte[] magic;

    ImageFormat(String mediaType, String extension, byte[] magic) {
        this.mediaType = mediaType;
        this.extension = extension;
        this.magic = magic;
    }

    public String extension() {
        return extension;
    }

    /** The format of a downloaded image, or a 502 naming what is wrong with it. */
    public static ImageFormat verify(String contentType, byte[] body) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        ImageFormat format = Arrays.stream(values()).filter(f -> f.mediaType.equals(mediaType)).findFirst()
                .orElseThrow(() -> new AmbassadorException(ErrorCode.NOT_AN_IMAGE, "the image download's Content-Type "
                        + "is not image/jpeg, image/png or image/gif", null, "Content-Type: \"" + contentType + "\""));
        if (body.length == 0) {
            throw new AmbassadorException(ErrorCode.NOT_AN_IMAGE, "the image download answered with an empty body");
        }
        if (body.length < format.magic.length
                || !Arrays.equals(body, 0, format.magic.length, format.magic, 0, format.magic.length)) {
            throw new AmbassadorException(ErrorCode.NOT_AN_IMAGE,
                    "the image download is labelled " + mediaType + " but its bytes are not a " + format.name() + " file");
        }
        return format;
    }
}
