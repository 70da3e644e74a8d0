package dev.vigil.runtime.cli;

import dev.vigil.runtime.security.Role;
import dev.vigil.runtime.security.Tokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vigil token --name gw-1 --role device --machine spindle-7}: a new token and its configuration entry. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Make an API token. Prints the token once (give it to the client) and the entry for",
                "auth.tokens in vigil.yaml, which holds only its SHA-256."})
public final class TokenCommand implements Callable<Integer> {

    @Option(names = "--name", required = true, description = "Who holds it (shown as the actor in alert history).")
    String name;

    @Option(names = "--role", required = true, description = "device, engineer, scheduler, monitor or admin.")
    String role;

    @Option(names = "--machine", description = "For a device: a machine it sends data for (repeatable).")
    List<String> machines = List.of();

    @Override
    public Integer call() {
        Role r = Role.parse(role);
        if (r == null) {
            throw new IllegalArgumentException("--role: '" + role + "' is not one of device, engineer, scheduler, monitor, admin");
        }
        if (r == Role.DEVICE && machines.isEmpty()) {
            throw new IllegalArgumentException("--machine: a device token needs the machines it sends data for");
        }
        String token = Tokens.generate(new SecureRandom());
        System.out.println("token (shown once): " + token);
        System.out.println();
        System.out.println("auth:");
        System.out.println("  tokens:");
        System.out.println("    - name: " + name);
        System.out.println("      role: " + r.key());
        System.out.println("      sha256: " + Tokens.sha256(token));
        if (!machines.isEmpty()) {
            System.out.println("      machines: [" + String.join(", ", machines) + "]");
        }
        return 0;
    }
}
