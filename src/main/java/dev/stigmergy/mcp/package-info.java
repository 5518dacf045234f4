/**
 * The MCP door (DESIGN.md §7): a Streamable HTTP Model Context Protocol endpoint at {@code /mcp}, served by
 * the Quarkiverse MCP server extension in the service's own process. It translates and authenticates, never
 * decides: every tool is a thin adapter over the service method its REST resource calls ({@code lock},
 * {@code pheromone}, {@code intent}, {@code unlock}, {@code lease}), so both doors share one rule. Requests
 * are authenticated exactly as REST ({@link dev.stigmergy.agent.AgentService#authenticateBearer}) and their
 * {@code Origin} is checked before any MCP message is read ({@link dev.stigmergy.mcp.McpAccess}). Uses
 * {@code api}, {@code agent}, {@code event} and the capabilities it adapts; nothing uses it.
 */
package dev.stigmergy.mcp;
