package dev.stigmergy.mcp;

import io.smallrye.config.ConfigMapping;

import java.util.List;
import java.util.Optional;

/** Settings of the MCP door, under {@code stigmergy.mcp}. */
@ConfigMapping(prefix = "stigmergy.mcp")
public interface McpConfig {

    /**
     * Browser origins ({@code scheme://host[:port]}, exact) allowed to call {@code /mcp} besides loopback ones
     * ({@code localhost}, {@code 127.0.0.1}, {@code [::1]} on any port). A request without an {@code Origin}
     * header (every non-browser MCP client) is not affected. Default: none.
     */
    Optional<List<String>> allowedOrigins();
}
