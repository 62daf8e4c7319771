/**
 * The cluster in Docker containers through Testcontainers: the node image built from the project's
 * {@code Dockerfile}, one container per node on a private network, Toxiproxy as a container on
 * every peer link, and kill, pause and restart through the Docker API ({@link
 * dev.faultline.nemesis.docker.DockerCluster}).
 */
package dev.faultline.nemesis.docker;
