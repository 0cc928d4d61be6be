"""The workspace's views, one module per area."""
