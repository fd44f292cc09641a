package net.totalorder.replication.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.spi.JsonProvider;

/**
 * The replicated beans' states in a snapshot: a UTF-8 JSON object with one member per bean, named by its class and
 * encoded by JSON-B with the bean's declared state type (so decoding never instantiates anything else). Beans in
 * class-name order, so the same states give the same bytes. No Java serialization. Thread-safe.
 */
public final class StateCodec {

    private final Jsonb jsonb;
    private final ReplicatedBeans beans;
    private final JsonProvider jsonp = JsonProvider.provider();

    public StateCodec(Jsonb jsonb, ReplicatedBeans beans) {
        this.jsonb = jsonb;
        this.beans = beans;
    }

    /** Writes {@code states} (one per bean, by bean class name). */
    public void write(Map<String, Object> states, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write('{');
        boolean first = true;
        for (ReplicatedBeans.Bean bean : beans.all()) {
            if (!first) {
                w.write(',');
            }
            first = false;
            String name = bean.beanClass().getName();
            w.write(jsonp.createValue(name).toString());
            w.write(':');
            Object state = states.get(name);
            w.write(state == null ? "null" : jsonb.toJson(state, bean.stateType()));
        }
        w.write('}');
        w.flush();
    }

    /**
     * The states in {@code in}, by bean class name.
     *
     * @throws IOException when the bytes are not such an object, lack a bean's state, or a state does not decode
     */
    public Map<String, Object> read(InputStream in) throws IOException {
        JsonObject all;
        try (JsonReader reader = jsonp.createReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            if (!(reader.read() instanceof JsonObject o)) {
                throw new IOException("the snapshot's state is not a JSON object");
            }
            all = o;
        } catch (JsonException e) {
            throw new IOException("the snapshot's state is not valid JSON: " + e.getMessage(), e);
        }
        Map<String, Object> states = new LinkedHashMap<>();
        for (ReplicatedBeans.Bean bean : beans.all()) {
            String name = bean.beanClass().getName();
            JsonValue v = all.get(name);
            if (v == null) {
                throw new IOException("the snapshot holds no state for " + name
                        + " (taken by another version of the application?)");
            }
            try {
                states.put(name, v.getValueType() == JsonValue.ValueType.NULL ? null
                        : jsonb.fromJson(v.toString(), bean.stateType()));
            } catch (RuntimeException e) {         // JSON-B reports mapping failures as its own runtime exceptions
                throw new IOException("the state of " + name + " does not decode: " + e.getMessage(), e);
            }
        }
        return states;
    }
}
