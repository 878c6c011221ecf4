exports.handler = async () => ({ refunded: true });
