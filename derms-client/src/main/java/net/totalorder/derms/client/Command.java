package net.totalorder.derms.client;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The DERMS operations as the command line and the interactive menu offer them: name, role, fields, and how to run
 * one on a {@link DermsClient}. Which role may call what is for the server to enforce; the role here only picks the
 * interactive menu. Immutable.
 */
enum Command {
    ADD("add", Role.RESPONDER, "add (or extend) a resource of one's city",
            Field.RESOURCE, Field.TYPE, Field.DURATION),
    REMOVE("remove", Role.RESPONDER, "reduce (or delete) a resource",
            Field.RESOURCE, Field.DURATION),
    LIST("list", Role.RESPONDER, "resources of TYPE in all cities",
            Field.TYPE),
    REQUEST("request", Role.COORDINATOR, "borrow a resource, or join its waiting list",
            Field.RESOURCE, Field.DURATION),
    FIND("find", Role.COORDINATOR, "one's holdings of TYPE",
            Field.TYPE),
    RETURN("return", Role.COORDINATOR, "give back all one holds of a resource",
            Field.RESOURCE),
    SWAP("swap", Role.COORDINATOR, "give back a holding, borrow another resource",
            Field.OLD_RESOURCE, Field.OLD_TYPE, Field.NEW_RESOURCE, Field.NEW_TYPE);

    /** An input of an operation besides the user ID: its name in the usage text and its interactive prompt. */
    enum Field {
        RESOURCE("RESOURCE", "resource ID (e.g. MTL1001)"),
        TYPE("TYPE", "type (AMBULANCE, FIRETRUCK, PERSONNEL)"),
        DURATION("DURATION", "duration (a positive integer)"),
        OLD_RESOURCE("OLDRES", "resource ID to give back"),
        OLD_TYPE("OLDTYPE", "its type"),
        NEW_RESOURCE("NEWRES", "resource ID to borrow instead"),
        NEW_TYPE("NEWTYPE", "its type");

        final String usageName;
        final String prompt;

        Field(String usageName, String prompt) {
            this.usageName = usageName;
            this.prompt = prompt;
        }
    }

    final String commandName;
    final Role role;
    final String description;
    final List<Field> fields;

    Command(String commandName, Role role, String description, Field... fields) {
        this.commandName = commandName;
        this.role = role;
        this.description = description;
        this.fields = List.of(fields);
    }

    /** The command called {@code name} (any case). */
    static Optional<Command> named(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (Command command : values()) {
            if (command.commandName.equals(wanted)) {
                return Optional.of(command);
            }
        }
        return Optional.empty();
    }

    static List<Command> of(Role role) {
        return Arrays.stream(values()).filter(command -> command.role == role).toList();
    }

    /** e.g. {@code add USER RESOURCE TYPE DURATION}. */
    String synopsis() {
        StringBuilder synopsis = new StringBuilder(commandName).append(" USER");
        for (Field field : fields) {
            synopsis.append(' ').append(field.usageName);
        }
        return synopsis.toString();
    }

    /** Runs this operation for {@code userId} with {@code values}, one per {@link #fields} entry, in order. */
    Result invoke(DermsClient client, String userId, List<String> values)
            throws UsageException, InterruptedException {
        if (values.size() != fields.size()) {
            throw new UsageException(commandName + " takes USER and " + fields.size() + " more arguments: "
                    + synopsis());
        }
        return switch (this) {
            case ADD -> client.addResource(userId, values.get(0), values.get(1), duration(values.get(2)));
            case REMOVE -> client.removeResource(userId, values.get(0), duration(values.get(1)));
            case LIST -> client.listResourceAvailability(userId, values.get(0));
            case REQUEST -> client.requestResource(userId, values.get(0), duration(values.get(1)));
            case FIND -> client.findResource(userId, values.get(0));
            case RETURN -> client.returnResource(userId, values.get(0));
            case SWAP -> client.swapResource(userId, values.get(0), values.get(1), values.get(2), values.get(3));
        };
    }

    /** An integer duration; whether it is positive is for the server to judge (HTTP 400). */
    private static long duration(String text) throws UsageException {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException notAnInteger) {
            throw new UsageException("DURATION must be an integer, not '" + text + "'");
        }
    }
}
