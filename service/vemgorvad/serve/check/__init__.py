"""Check: an uploaded agreement → what it lacks against the law and its peers."""
