package dev.stigmergy.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/**
 * An RFC 9457 problem document, served as {@code application/problem+json}.
 *
 * @param type       problem type, a URI reference relative to the service root ({@code /problems/…})
 * @param title      short summary of the type
 * @param status     the HTTP status code
 * @param detail     what went wrong in this occurrence, for a human
 * @param extensions extension members written beside the standard ones (e.g. {@code hold} on a 409,
 *                   {@code violations} on a 400)
 */
@JsonPropertyOrder({"type", "title", "status", "detail"})
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details. Extension members such as `violations` "
        + "(400) or `hold` (409) may appear beside the standard ones.", additionalProperties = Schema.True.class)
public record Problem(String type, String title, int status, String detail,
                      @JsonIgnore @Schema(hidden = true) Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";

    @JsonAnyGetter
    Map<String, Object> anyMembers() {
        return extensions;
    }
}
