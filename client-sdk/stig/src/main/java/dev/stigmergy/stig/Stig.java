package dev.stigmergy.stig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.stigmergy.client.ApiException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;

/**
 * {@code stig}: the command line of Stigmergy for agents and people (issue 26), over the generated Java client.
 * Every command prints text by default and the service's JSON with {@code --json}; exit codes are in {@link Exit}.
 */
@Command(name = "stig", mixinStandardHelpOptions = true, version = "stig 0.1.0",
        description = "Coordinate with other coding agents through a Stigmergy service: locks, file-update "
                + "intents, pheromones, git checks and agent-host hooks.",
        subcommands = {
                StatusCommand.class, ReadyCommand.class,
                PheromoneCommands.Sense.class, PheromoneCommands.DepositCmd.class, PheromoneCommands.ClaimCmd.class,
                LockCommands.LockCmd.class, LockCommands.Unlock.class, LockCommands.Renew.class,
                UnlockRequestCommands.RequestUnlock.class, UnlockRequestCommands.Approve.class,
                UnlockRequestCommands.Reject.class,
                IntentCommands.class, CheckCommand.class, OverlapsCommand.class, HeartbeatCommand.class,
                VerifyCommand.class, InstallHooksCommand.class, HookCommand.class, McpCommand.class,
                AutoComplete.GenerateCompletion.class},
        footer = {"",
                "Configuration: STIGMERGY_URL, STIGMERGY_TOKEN (or a 0600 file: STIGMERGY_TOKEN_FILE, default "
                        + "~/.stigmergy/token), STIGMERGY_ENVIRONMENT, STIGMERGY_ENTITY, STIGMERGY_ROLE; a .stigmergy "
                        + "file at the repository root may give url= and environment=.",
                "Exit codes: 0 done, 1 other failure (token refused, unexpected answer), 2 usage, 3 refused by "
                        + "another agent's hold, 4 not found, 5 service unavailable after retries.",
                "",
                "Example:",
                "  export STIGMERGY_TOKEN=stg_... STIGMERGY_ENVIRONMENT=app",
                "  stig intent declare src/App.java:10-40 --entity job/COD2-5 --description 'fix the redirect'",
                "Completion: source <(stig generate-completion)"})
public final class Stig {

    private Stig() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, with the exit-code mapping; the tests run it in process too. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(Stig.class).setUsageHelpAutoWidth(true);
        cli.setExecutionExceptionHandler((failure, commandLine, parseResult) -> {
            StigException e = failure instanceof StigException s ? s
                    : failure instanceof ApiException api ? translate(api)
                    : failure instanceof IOException io ? new StigException(Exit.FAILED, io.getMessage())
                    : null;
            if (e == null) {
                throw failure;
            }
            boolean json = commandLine.getCommand() instanceof StigCommand c && c.json;
            if (json && e.body() != null) {
                commandLine.getOut().println(StigCommand.toJson(e.body()));
                commandLine.getOut().flush();
            }
            commandLine.getErr().println("stig: " + e.getMessage());
            commandLine.getErr().flush();
            return e.exitCode();
        });
        return cli;
    }

    /** The service's answer (an RFC 9457 problem) as an exit code and a message naming what refused the call. */
    static StigException translate(ApiException e) {
        if (e.getCode() == 0) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof com.fasterxml.jackson.core.JsonProcessingException) {
                return new StigException(Exit.FAILED, "unreadable answer from the service: " + cause.getMessage());
            }
            return new StigException(Exit.UNAVAILABLE, "service unavailable: " + cause);
        }
        JsonNode problem = parse(e.getResponseBody());
        String detail = problem.path("detail").asText(problem.path("title").asText("HTTP " + e.getCode()));
        return switch (e.getCode()) {
            case 400, 422 -> new StigException(Exit.USAGE, "invalid: " + detail, problem);
            case 401 -> new StigException(Exit.FAILED, "the token was refused: " + detail, problem);
            case 403 -> problem.path("type").asText().endsWith("/not-holder")
                    ? new StigException(Exit.REFUSED, "refused: " + detail, problem)
                    : new StigException(Exit.FAILED, "forbidden: " + detail, problem);
            case 404 -> new StigException(Exit.NOT_FOUND, "not found: " + detail, problem);
            case 409 -> new StigException(Exit.REFUSED, "refused: " + detail + hold(problem.path("hold")), problem);
            case 502, 503, 504 -> new StigException(Exit.UNAVAILABLE,
                    "service unavailable (HTTP " + e.getCode() + ") after retries", problem);
            default -> new StigException(Exit.FAILED, "HTTP " + e.getCode() + ": " + detail, problem);
        };
    }

    private static String hold(JsonNode hold) {
        if (hold.isMissingNode() || hold.isNull()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        text.append("\n  holder ").append(hold.path("holder").asText("?"));
        if (hold.has("fencingToken")) {
            text.append(", fencing token ").append(hold.path("fencingToken").asText());
        }
        if (hold.has("expiresAt")) {
            text.append(", until ").append(hold.path("expiresAt").asText());
        }
        if (hold.has("entity")) {
            text.append("\n  ask for it: stig request-unlock ").append(hold.path("entity").asText())
                    .append(" --reason '<why you need it>'");
        }
        return text.toString();
    }


    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            return StigCommand.Json.MAPPER.readTree(body);
        } catch (IOException notJson) {
            return JsonNodeFactory.instance.objectNode().put("detail", body);
        }
    }
}
