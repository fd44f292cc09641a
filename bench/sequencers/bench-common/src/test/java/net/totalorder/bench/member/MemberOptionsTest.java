package net.totalorder.bench.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class MemberOptionsTest {

    @Test
    void theCommandLineRoundTrips() {
        MemberOptions options = new MemberOptions(1, List.of(27800, 27801, 27802), "bench-ours-n4", 2,
                Path.of("/tmp/m1.numbers"));

        MemberOptions parsed = MemberOptions.parse(options.toArgs().toArray(String[]::new));

        assertEquals(options, parsed);
        assertEquals("m1", parsed.self());
        assertEquals(List.of("m0", "m1", "m2"), parsed.members());
        assertEquals(27801, parsed.port());
        assertEquals("127.0.0.1[27800],127.0.0.1[27801],127.0.0.1[27802]", parsed.initialHosts());
    }

    @Test
    void aStorageDirectory_roundTrips_andIsAbsentByDefault() {
        MemberOptions durable = new MemberOptions(0, List.of(27830, 27831, 27832), "bench-ours-durable-n1", 0,
                Path.of("/tmp/m0.numbers"), Path.of("/tmp/m0.storage"));
        assertEquals(durable, MemberOptions.parse(durable.toArgs().toArray(String[]::new)));
        assertEquals(null, new MemberOptions(0, List.of(1, 2, 3), "c", 1, Path.of("n")).storage());
        MemberOptions reads = new MemberOptions(2, List.of(27860, 27861, 27862), "bench-ours-reads-n16", 5,
                Path.of("/tmp/m2.numbers"), null, true);
        assertEquals(reads, MemberOptions.parse(reads.toArgs().toArray(String[]::new)));
        assertEquals(false, new MemberOptions(0, List.of(1, 2, 3), "c", 1, Path.of("n")).reads());
    }

    @Test
    void aMissingOptionOrAnIndexOutsideThePortsIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> MemberOptions.parse(new String[] {"--index", "0"}));
        assertThrows(IllegalArgumentException.class,
                () -> new MemberOptions(3, List.of(1, 2, 3), "c", 1, Path.of("n")));
    }
}
