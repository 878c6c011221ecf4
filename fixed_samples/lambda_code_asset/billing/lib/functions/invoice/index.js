exports.handler = async () => ({ invoiced: true });
