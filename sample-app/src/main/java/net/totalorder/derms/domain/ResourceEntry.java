package net.totalorder.derms.domain;

/**
 * One resource in a listing: its remaining duration in {@code listResourceAvailability}, the duration the caller
 * holds in {@code findResource}. Immutable; safe to share between threads.
 */
public record ResourceEntry(String resourceId, ResourceType type, int duration) {
}
