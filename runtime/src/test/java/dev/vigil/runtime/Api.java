package dev.vigil.runtime;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Test helper: a real HTTP client against the running service, with one bearer token (or none). */
public record Api(HttpClient http, String base, String token) {

    public Api(String base, String token) {
        this(HttpClient.newHttpClient(), base, token);
    }

    public Api as(String otherToken) {
        return new Api(http, base, otherToken);
    }

    public HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET());
    }

    public HttpResponse<String> post(String path, String json) throws Exception {
        return send(request(path).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> post(String path, byte[] body) throws Exception {
        return send(request(path).header("content-type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    public HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The YAML entry for a token with this name and role (and machines for a device). */
    public static String tokenEntry(String name, String role, String token, String... machines) {
        return "    - {name: " + name + ", role: " + role + ", sha256: " + dev.vigil.runtime.security.Tokens.sha256(token)
                + (machines.length == 0 ? "" : ", machines: [" + String.join(", ", machines) + "]") + "}\n";
    }
}
