package dev.ambassadorlab.ambassador.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import dev.ambassadorlab.ambassador.errors.ErrorCode;

import java.io.IOException;

/**
 * The first result of The Cat API's {@code /v1/images/search}: {@code [{"id", "url", "width", "height"}]}.
 * The answer is read strictly; anything else becomes a 502 that says what was wrong with it.
 */
public record SearchHit(String id, String url, Integer width, Integer height) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static SearchHit parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException notJson) {
            throw malformed("it is not JSON");
        }
        if (root == null || root.isMissingNode()) throw malformed("it is empty");
        if (!root.isArray()) throw malformed("it is a JSON " + root.getNodeType().name().toLowerCase() + ", not a list");
        if (root.isEmpty()) throw malformed("it is an empty list: the upstream found no image");
        JsonNode first = root.get(0);
        if (!first.isObject()) throw malformed("its first item is not an object");
        return new SearchHit(text(first, "id"), text(first, "url"), size(first, "width"), size(first, "height"));
    }

    private static String text(JsonNode item, String field) {
        JsonNode value = item.get(field);
        if (value == null || !value.isTextual()) throw malformed("its first item has no text \"" + field + "\"");
        return value.textValue();
    }

    /** Width and height are optional (some images lack them) but must be sensible when present. */
    private static Integer size(JsonNode item, String field) {
        JsonNode value = item.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() < 0) {
            throw malformed("its \"" + field + "\" is not a whole number of pixels");
        }
        return value.intValue();
    }

    private static AmbassadorException malformed(String why) {
        return new AmbassadorException(ErrorCode.MALFORMED_SEARCH_ANSWER,
                "The Cat API's search answer cannot be used: " + why);
    }
}
