package dev.stigmergy.stig;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command's {@code --help} shows an example, and a bad option is a usage error (exit 2). */
class HelpTest {

    @Test
    void everyCommandHasAnExampleInItsHelp() {
        List<CommandLine> commands = new ArrayList<>();
        collect(Stig.commandLine(), commands);
        for (CommandLine command : commands) {
            if (command.getCommandName().equals("generate-completion")) {
                continue; // picocli's own
            }
            StringWriter help = new StringWriter();
            command.usage(new PrintWriter(help));
            assertTrue(help.toString().contains("Example:"), command.getCommandName() + " --help shows an example:\n" + help);
        }
        assertTrue(commands.size() >= 20, "every command is registered: " + commands.size());
    }

    @Test
    void unknownOptionIsAUsageError() {
        CommandLine cli = Stig.commandLine();
        cli.setErr(new PrintWriter(new StringWriter()));
        assertEquals(2, cli.execute("lock", "--bogus"));
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().forEach(sub -> collect(sub, into));
    }
}
