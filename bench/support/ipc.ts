/**
 * Sends one message to the parent process over the IPC channel `fork` gave this process, resolving
 * once it is handed over. `orphanError` says who was meant to fork this script, for the error thrown
 * when there is no channel (the script was run by hand).
 */
export function sendToParent<Message>(message: Message, orphanError: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined) {
      reject(new Error(orphanError));
      return;
    }
    process.send(message, undefined, {}, (error) => (error === null ? resolve() : reject(error)));
  });
}
