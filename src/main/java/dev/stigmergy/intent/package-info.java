/**
 * File-update intents L1–L4 (DESIGN.md §4): declaring them with overlap checked and the intent created in
 * one transaction, their lifecycle (renew, complete, cancel, expiry), queries, and the git-aware endpoints
 * ({@code edit-overlaps}, {@code verify}). {@code IntentDeclaration} declares, {@code IntentService} holds the lifecycle,
 * the queries and the intents' {@code Holds}; {@code IntentRepository} every statement (and the files-blocked
 * fragment the ready query reads). Uses {@code api}, {@code agent}, {@code event}, {@code lease},
 * {@code environment}, {@code entity} and {@code git}.
 */
package dev.stigmergy.intent;
