package dev.stigmergy.stig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stigmergy.client.ApiException;
import dev.stigmergy.client.model.DeclareIntent;
import dev.stigmergy.client.model.DeclaredFile;
import dev.stigmergy.client.model.Effect;
import dev.stigmergy.client.model.FileDecision;
import dev.stigmergy.client.model.IntentDecision;
import dev.stigmergy.client.model.IntentFileView;
import dev.stigmergy.client.model.IntentView;
import dev.stigmergy.client.model.LineRange;
import dev.stigmergy.client.model.Overlap;
import dev.stigmergy.client.model.PutEntity;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * {@code stig hook <event>}: the command an agent host runs before and after each tool use, with the event as JSON
 * on standard input ({@code hook_event_name}, {@code tool_name}, {@code tool_input}, {@code session_id},
 * {@code cwd}). Before a tool writes a file of the repository it declares (or renews) an L3 intent on the lines the
 * edit replaces, or the whole file, on the session's job entity; when the service refuses, it exits 2 (the hosts'
 * "block this tool call") with the holder, its expiry and the {@code stig request-unlock} command on standard error.
 * Read-only tools pass straight through: no configuration is read and no call is made.
 */
@Command(name = "hook", mixinStandardHelpOptions = true,
        description = "For agent hosts: run before/after each tool use with the event JSON on stdin. pre-tool-use "
                + "declares or renews an L3 intent on the edited lines (else the whole file) of a file in the repository, "
                + "on $STIGMERGY_ENTITY or job/session-<session_id>, and exits 2 with the reason when another agent holds "
                + "them (the host then blocks the tool call); post-tool-use heartbeats; stop and session-end complete "
                + "the session's intents. Read-only tools and files outside the repository pass through (exit 0). "
                + "A malformed event exits 2. Settings: STIGMERGY_PRIORITY (default 5), STIGMERGY_LEASE_SECONDS "
                + "(default 900).",
        footer = {"", "Example:",
                "  echo '{\"hook_event_name\":\"PreToolUse\",\"session_id\":\"s1\",\"tool_name\":\"Edit\",",
                "        \"tool_input\":{\"file_path\":\"'$PWD'/src/App.java\",\"old_string\":\"a\",\"new_string\":\"b\"}}' \\",
                "    | stig hook pre-tool-use",
                "Host configuration: hooks/agent/ in the Stigmergy repository."})
final class HookCommand extends StigCommand {

    /** Tools that write the file named by {@code tool_input.file_path} (or {@code notebook_path}). */
    static final Set<String> WRITE_TOOLS = Set.of("Write", "Edit", "MultiEdit", "NotebookEdit");

    private static final Set<String> EVENTS = Set.of("pre-tool-use", "post-tool-use", "stop", "session-end");

    @Parameters(index = "0", paramLabel = "EVENT", description = "pre-tool-use, post-tool-use, stop or session-end")
    String event;

    /** Standard input; the tests replace it. */
    InputStream stdin = System.in;

    @Override
    int run() throws Exception {
        if (!EVENTS.contains(event)) {
            throw new ParameterException(spec.commandLine(), "EVENT is pre-tool-use, post-tool-use, stop or session-end, not " + event);
        }
        JsonNode e = read(stdin);
        if (e.hasNonNull("cwd") && e.get("cwd").isTextual()) {
            directory = Path.of(e.get("cwd").asText());
        }
        if (event.equals("pre-tool-use")) {
            return preToolUse(e);
        }
        try {
            return event.equals("post-tool-use") ? (writes(e) ? heartbeat() : Exit.DONE) : end(e);
        } catch (ApiException | StigException failure) {
            // after the tool ran, or when the session stops, exit 2 would make the host feed the failure back to the
            // model (or keep it from stopping): report it as a plain failure instead
            StigException s = failure instanceof StigException own ? own : Stig.translate((ApiException) failure);
            throw new StigException(s.exitCode() == Exit.USAGE ? Exit.FAILED : s.exitCode(), s.getMessage(), s.body());
        }
    }

    private int preToolUse(JsonNode e) throws Exception {
        if (!writes(e)) {
            return Exit.DONE;
        }
        JsonNode input = e.path("tool_input");
        String filePath = input.path("file_path").asText(input.path("notebook_path").asText(""));
        if (filePath.isEmpty()) {
            throw malformed("tool_input has no file_path");
        }
        Path root = Settings.repositoryRoot(directory);
        Path file = directory.toAbsolutePath().resolve(filePath).normalize();
        if (root == null || !file.startsWith(root) || file.startsWith(root.resolve(".git"))) {
            return Exit.DONE; // not a file of the repository: nothing to coordinate
        }
        String path = root.relativize(file).toString().replace('\\', '/');
        List<LineRange> ranges = locate(e.path("tool_name").asText(), input, file);
        EntityAddress entity = sessionEntity(e);
        String environment = settings().environment(null);

        for (IntentView mine : client().intents().listIntents(environment, null, entity.toString(), 100, null, "ACTIVE")) {
            if (mine.getFiles().stream().anyMatch(f -> path.equals(f.getPath()) && "HELD".equals(f.getStatus())
                    && covers(f.getLineRanges(), ranges))) {
                try {
                    client().intents().renewIntent(mine.getId(), null);
                    return Exit.DONE;
                } catch (ApiException notMine) {
                    break; // another agent's intent on a shared entity: declare our own
                }
            }
        }
        DeclareIntent request = new DeclareIntent().entity(entity.toString())
                .description(e.path("tool_name").asText() + " " + path + " (agent session " + session(e) + ")")
                .priority(settings().number("STIGMERGY_PRIORITY", 5))
                .leaseSeconds(settings().number("STIGMERGY_LEASE_SECONDS", 900))
                .addFilesItem(new DeclaredFile().path(path).level(3).lineRanges(ranges.isEmpty() ? null : ranges));
        try {
            declare(environment, entity, request);
            return Exit.DONE;
        } catch (ApiException refused) {
            IntentDecision denied = IntentCommands.deniedDecision(refused);
            if (denied == null) {
                throw refused;
            }
            err().println(refusal(path, ranges, denied));
            err().flush();
            return 2; // the hosts' "block": the reason on stderr reaches the model
        }
    }

    private void declare(String environment, EntityAddress entity, DeclareIntent request) throws ApiException {
        try {
            client().intents().declareIntent(environment, request);
        } catch (ApiException e) {
            if (e.getCode() != 404 || e.getResponseBody() == null || !e.getResponseBody().contains("entity")) {
                throw e;
            }
            // the session's first write: its job entity does not exist yet
            client().entities().putEntity(entity.kind(), entity.key(),
                    new PutEntity().environment(environment).title("agent session " + entity.key()));
            client().intents().declareIntent(environment, request);
        }
    }

    private String refusal(String path, List<LineRange> ranges, IntentDecision denied) {
        StringBuilder text = new StringBuilder();
        for (FileDecision f : denied.getFiles()) {
            for (Overlap o : f.getOverlaps()) {
                if (o.getEffect() != Effect.DENY) {
                    continue;
                }
                IntentView holder = intentOrNull(o.getIntentId());
                List<LineRange> held = holder == null ? List.of() : holder.getFiles().stream()
                        .filter(h -> h.getPath().equals(o.getPath())).findFirst().map(IntentFileView::getLineRanges)
                        .orElse(List.of());
                text.append("stig: ").append(path).append(IntentCommands.ranges(ranges)).append(" cannot be edited now: ")
                        .append(o.getHolder()).append(" holds ").append(o.getPath()).append(IntentCommands.ranges(held))
                        .append(" at L").append(o.getLevel()).append(" (intent ").append(o.getIntentId()).append(" on ")
                        .append(o.getEntity()).append(", priority ").append(o.getPriority()).append(") until ")
                        .append(holder == null ? "?" : until(holder.getExpiresAt())).append(".\n")
                        .append("To ask for it, run: stig request-unlock --intent ").append(o.getIntentId())
                        .append(" --reason '<why you need ").append(path).append(">'\n");
            }
        }
        return text.append("Meanwhile, work on other lines or files.").toString();
    }

    private IntentView intentOrNull(long id) {
        try {
            return client().intents().getIntent(id);
        } catch (ApiException ended) {
            return null;
        }
    }

    private int heartbeat() throws ApiException {
        client().agents().heartbeat();
        return Exit.DONE;
    }

    /** Completes the session's active intents; those of other agents on a shared entity stay. */
    private int end(JsonNode e) throws ApiException {
        EntityAddress entity = sessionEntity(e);
        List<Long> completed = new ArrayList<>();
        for (IntentView intent : client().intents().listIntents(settings().environment(null), null, entity.toString(),
                500, null, "ACTIVE")) {
            try {
                client().intents().completeIntent(intent.getId());
                completed.add(intent.getId());
            } catch (ApiException notMine) {
                if (notMine.getCode() != 403 && notMine.getCode() != 404 && notMine.getCode() != 409) {
                    throw notMine;
                }
            }
        }
        if (json) {
            out().println(toJson(java.util.Map.of("entity", entity.toString(), "completed", completed)));
            out().flush();
        }
        return Exit.DONE;
    }

    private EntityAddress sessionEntity(JsonNode e) {
        String configured = settings().entity();
        if (configured != null) {
            return EntityAddress.parse(configured);
        }
        String id = session(e).replaceAll("[^A-Za-z0-9._-]", "-");
        return new EntityAddress("job", "session-" + (id.length() > 100 ? id.substring(0, 100) : id));
    }

    private static String session(JsonNode e) {
        String id = e.path("session_id").asText("");
        if (id.isBlank()) {
            throw malformed("no session_id (or set STIGMERGY_ENTITY)");
        }
        return id;
    }

    private static boolean writes(JsonNode e) {
        JsonNode tool = e.get("tool_name");
        if (tool == null || !tool.isTextual()) {
            throw malformed("no tool_name");
        }
        return WRITE_TOOLS.contains(tool.asText());
    }

    static JsonNode read(InputStream in) {
        try {
            JsonNode e = new ObjectMapper().readTree(in);
            if (e == null || !e.isObject()) {
                throw malformed("not a JSON object");
            }
            return e;
        } catch (IOException e) {
            throw malformed("not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    private static StigException malformed(String why) {
        return new StigException(Exit.USAGE, "malformed hook event: " + why);
    }

    /**
     * The lines an edit replaces, located in the file as it is now: every occurrence of each {@code old_string}
     * (of {@code tool_input}, or of each of its {@code edits[]}) when {@code replace_all}, else the first. Empty
     * (the whole file) for a write, a new file, or text that cannot be found.
     */
    static List<LineRange> locate(String tool, JsonNode input, Path file) {
        List<JsonNode> edits = new ArrayList<>();
        if ("Edit".equals(tool)) {
            edits.add(input);
        } else if ("MultiEdit".equals(tool)) {
            input.path("edits").forEach(edits::add);
        }
        if (edits.isEmpty() || !Files.isRegularFile(file)) {
            return List.of();
        }
        String content;
        try {
            content = Files.readString(file);
        } catch (CharacterCodingException binary) {
            return List.of();
        } catch (IOException unreadable) {
            return List.of();
        }
        List<LineRange> ranges = new ArrayList<>();
        for (JsonNode edit : edits) {
            String old = edit.path("old_string").asText("");
            if (old.isEmpty()) {
                return List.of();
            }
            boolean all = edit.path("replace_all").asBoolean(false);
            int from = content.indexOf(old);
            if (from < 0) {
                return List.of(); // e.g. a later edit of a MultiEdit on text an earlier one wrote
            }
            while (from >= 0) {
                int start = 1 + count(content, 0, from);
                String body = old.endsWith("\n") ? old.substring(0, old.length() - 1) : old;
                ranges.add(new LineRange().start(start).end(start + count(body, 0, body.length())));
                from = all ? content.indexOf(old, from + old.length()) : -1;
            }
        }
        ranges.sort(Comparator.comparing(LineRange::getStart));
        List<LineRange> merged = new ArrayList<>();
        for (LineRange r : ranges) {
            LineRange last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r.getStart() <= last.getEnd() + 1) {
                last.setEnd(Math.max(last.getEnd(), r.getEnd()));
            } else {
                merged.add(new LineRange().start(r.getStart()).end(r.getEnd()));
            }
        }
        return merged;
    }

    /** Whether held ranges (empty: the whole file) include every wanted range (empty: the whole file). */
    static boolean covers(List<LineRange> held, List<LineRange> wanted) {
        if (held == null || held.isEmpty()) {
            return true;
        }
        if (wanted.isEmpty()) {
            return false;
        }
        return wanted.stream().allMatch(w -> held.stream().anyMatch(h -> h.getStart() <= w.getStart() && w.getEnd() <= h.getEnd()));
    }

    private static int count(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
